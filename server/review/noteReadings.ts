/**
 * What is read from a whole stored note: each reading is a pure function of the note's Y.Doc and a
 * plain input (structured-cloneable), run on the note-reading thread (noteReaderWorker.ts). Building
 * a note's document and walking it grows with what was written: a member's crafted note of 100,000
 * formatting runs took 0.8 s to build, 0.6 s to review and 5 s to export, and five reviews at once
 * held the event loop for 12.7 s (attack, 2 Dec). Nothing that reads a whole stored note runs on
 * the event loop that relays keystrokes.
 */
import * as Y from 'yjs';
import type { ConcordanceView } from '../../shared/domain/concordance';
import type { CommentAnchor } from '../../shared/domain/review';
import type { BlindAnchor } from '../../shared/domain/blind';
import { riskFlagged, riskGaps } from '../../shared/note/riskRecords';
import type { RiskGap } from '../../shared/domain/risk';
import { applyAll } from '../collab/compaction';
import { anchorQuote, anchorResolves, mergePrivate, type PrivateItem } from '../learning/mergePrivate';
import { deriveMemberNote } from '../members/deriveMemberNote';
import { memberNoteUpdate, type TextFrom } from '../members/derivedNote';
import { localTimes } from './localTime';
import { carriedIndex } from '../../shared/note/carriedWords';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { readNote } from '../../shared/note/readNote';
import { groupChanges } from '../members/groupChanges';
import { MemberLabels } from '../members/MemberLabels';
import type { Attendance, CompetencyRecord, TagRecord } from '../persistence/ports';
import { sessionFigures, type SessionInputs } from '../supervisor/dyadFigures';
import { anchorInNote } from './commentAnchor';
import { concordance, ratedFromReview, type ConcordanceInput } from './concordance';
import { exportMarkdown } from './exportMarkdown';
import { exportPdf } from './exportPdf';
import { reviewOf, type ReviewFacts } from './reviewModel';
import { noteDigest } from './sessionNote';

/** A note as stored: its snapshot and log entries in order (storedNoteParts). */
export type NoteParts = Uint8Array[];

export function noteFrom(parts: NoteParts): Y.Doc {
  const doc = new Y.Doc();
  applyAll(doc, parts);
  return doc;
}

/** `read`'s answer on the note built from `parts`; the document is destroyed once it has answered. */
async function withNote<T>(parts: NoteParts, read: (doc: Y.Doc) => T | Promise<T>): Promise<T> {
  const doc = noteFrom(parts);
  try {
    return await read(doc);
  } finally {
    doc.destroy();
  }
}

export const noteReadings = {
  /** The review page (ReviewView), as JSON text: the event loop only sends it. */
  review: (doc: Y.Doc, facts: ReviewFacts): string => JSON.stringify(reviewOf(doc, facts)),

  /**
   * The note as it stood at `at` (ms), with its observations, authors and risk records, as JSON
   * text (a replay showed the risk record as it is now, written after the moment shown: walk, 4 Dec).
   */
  replay: (doc: Y.Doc, { facts, at }: { facts: ReviewFacts; at: number }): string => {
    const { blocks, observations, authors, risk } = reviewOf(doc, facts);
    return JSON.stringify({ at, blocks, observations, authors, risk });
  },

  /** The record as Markdown or PDF bytes, with the digest of the note as stored now. */
  export: async (doc: Y.Doc, { facts, timeZone, format }: { facts: ReviewFacts; timeZone: string; format: 'markdown' | 'pdf' }): Promise<Uint8Array> => {
    const review = reviewOf(doc, facts);
    const options = { timeZone, digest: noteDigest(doc) };
    return format === 'markdown' ? new TextEncoder().encode(exportMarkdown(review, options)) : exportPdf(review, options);
  },

  /** SHA-256 (hex) of the note's content as signed (noteDigest). */
  digest: (doc: Y.Doc): string => noteDigest(doc),

  /** The two therapists' observations lined up (concordance.ts). */
  concordance: (doc: Y.Doc, { facts, ...input }: Omit<ConcordanceInput, 'observations'> & { facts: ReviewFacts }): ConcordanceView => {
    const review = reviewOf(doc, facts);
    return concordance({ ...input, observations: ratedFromReview(review.observations, review.blocks) });
  },

  /**
   * What signing waits for (riskRecords.ts): members the note tags risk/safety (a removed label
   * included; the client in a session of no `labels`), and a member note's member when its group
   * note tags them, each without a complete
   * record; with `group.changes`, also what the group note says for the member now that the note
   * lacks (members/groupChanges.ts). Each note is built once for both.
   */
  signCheck: async (
    doc: Y.Doc,
    { group, therapists, labels }: { group: { parts: NoteParts; members: string[]; member: string; changes: boolean } | null; therapists: string[]; labels: string[] },
  ): Promise<{ riskGaps: RiskGap[]; groupChanges: string[] }> => {
    const flagged = riskFlagged(doc, labels, 'any');
    if (!group) return { riskGaps: riskGaps(doc, flagged, therapists), groupChanges: [] };
    return withNote(group.parts, (g) => {
      for (const m of riskFlagged(g, [group.member])) flagged.add(m);
      return { riskGaps: riskGaps(doc, flagged, therapists), groupChanges: group.changes ? groupChanges(doc, g, group.members, group.member) : [] };
    });
  },

  /** Which of `labels` the note tags risk/safety, sorted. */
  riskFlagged: (doc: Y.Doc, labels: string[]): string[] => [...riskFlagged(doc, labels)].sort(),

  /** Which of `labels` the note names, sorted: an observation's member, a risk record, a mention, or the label written as a word. */
  namedMembers: (doc: Y.Doc, labels: string[]): string[] => {
    const { note, observations, risk } = sessionDoc(doc);
    const found = new Set<string>([...observations.values()].flatMap((o) => (o.member === null ? [] : [o.member])));
    for (const member of risk.keys()) found.add(member);
    const named = new MemberLabels(doc, labels);
    for (const block of readNote(note)) named.concerns(block).forEach((l) => found.add(l));
    return labels.filter((l) => found.has(l)).sort();
  },

  /** Which of these flags (observation ids) are answered in the note (answeredFlagNotices.ts). */
  answeredFlags: (doc: Y.Doc, flagIds: string[]): string[] => {
    const { responses } = sessionDoc(doc);
    return flagIds.filter((id) => responses.has(id));
  },

  /** A new comment's anchor as stored, or why it is refused (commentAnchor.ts). */
  commentAnchor: (doc: Y.Doc, anchor: CommentAnchor) => anchorInNote(doc, anchor),

  /** The words each blind-mode anchor covers now ('' where none). */
  blindQuotes: (doc: Y.Doc, anchors: BlindAnchor[]): string[] => anchors.map((a) => anchorQuote(doc, a)),

  /** Whether a blind-mode anchor points into the note now, and the words it covers. */
  blindAnchor: (doc: Y.Doc, anchor: BlindAnchor): { resolves: boolean; quote: string } => ({ resolves: anchorResolves(doc, anchor), quote: anchorQuote(doc, anchor) }),

  /**
   * Blind mode's private observations merged into the note (mergePrivate.ts): the update that
   * merges them, made on the note as given, and how many were merged and left unanchored.
   */
  blindMerge: (doc: Y.Doc, items: PrivateItem[]) => {
    const before = Y.encodeStateVector(doc);
    let outcome = { merged: 0, unanchored: 0 };
    doc.transact(() => {
      outcome = mergePrivate(doc, items);
    });
    return { update: Y.encodeStateAsUpdate(doc, before), outcome };
  },

  /** One session's dyad figures (dyadFigures.ts). */
  dyadFigures: (doc: Y.Doc, input: { session: Omit<SessionInputs, 'doc'>; therapists: string[]; tags: Map<string, TagRecord>; codebook: Map<string, CompetencyRecord>; date: number }) =>
    sessionFigures({ ...input.session, doc }, input.therapists, input.tags, input.codebook, input.date),

  /**
   * Each member's note derived from the group note (deriveMemberNote.ts): its first content as a
   * Yjs update, and the group's title with other members' labels taken out.
   */
  memberNotes: (doc: Y.Doc, input: MemberNotesInput): { member: string; title: string; update: Uint8Array }[] => {
    const titles = new MemberLabels(doc, input.members);
    const times = localTimes(input.timeZone);
    // Who wrote a run: moved words keep their writer (carried), else its client id's account, as the review reads it.
    const carried = carriedIndex(sessionDoc(doc).carried.values());
    const authorOf = ({ client, clock }: TextFrom) => {
      const moved = carried(client, clock, 1)[0]?.author;
      return moved !== undefined ? moved : (input.clientAccounts.get(client) ?? null);
    };
    return input.entries.map(({ member, attendance }) => {
      const derived = deriveMemberNote(doc, {
        member, attendance, members: input.members, date: input.date, duration: input.duration, groupTitle: input.groupTitle,
        tagName: (id) => input.tagNames.get(id) ?? id, authorName: (id) => input.names.get(id) ?? 'a former member', authorOf,
        timeAt: (ms) => times.at(new Date(ms).toISOString()),
      });
      return { member, title: titles.redact(input.groupTitle, member), update: memberNoteUpdate(derived, member, authorOf) };
    });
  },
};

export interface MemberNotesInput {
  /** Every label of the group. */
  members: string[];
  entries: { member: string; attendance: Attendance }[];
  groupTitle: string;
  /** Date and duration of the group session, as the export writes them. */
  date: string;
  duration: string;
  tagNames: Map<string, string>;
  /** The group note's authorship bindings: Yjs client id → account. */
  clientAccounts: Map<number, string>;
  names: Map<string, string>;
  /** IANA zone the record's times are written in (`Config.timeZone`). */
  timeZone: string;
}

export type NoteReadings = typeof noteReadings;
export type ReadingName = keyof NoteReadings;
/** What a reading is given besides the note (none for `digest`). */
export type ReadingInput<K extends ReadingName> = Parameters<NoteReadings[K]> extends [Y.Doc, infer I] ? I : undefined;
export type ReadingResult<K extends ReadingName> = Awaited<ReturnType<NoteReadings[K]>>;

/** A request to the note-reading thread: the input is the named reading's (NoteReader pairs them). */
export interface NoteReadingRequest {
  parts: NoteParts;
  reading: ReadingName;
  input: unknown;
}

/** Builds the note and runs one reading on it (on the note-reading thread). */
export async function runReading({ parts, reading, input }: NoteReadingRequest): Promise<unknown> {
  // The message crossing from the event loop cannot carry the pairing of reading and input; NoteReader's types make it.
  const read = noteReadings[reading] as (doc: Y.Doc, input: unknown) => unknown;
  return withNote(parts, async (doc) => await read(doc, input));
}
