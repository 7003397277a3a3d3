import { z } from 'zod';
import { attributeOfKind, blockMark, isBlockMark } from '../note/formattedWords';
import type { SessionKind, SessionStatus } from './session';

/** A run of text as the review page shows it: who wrote it, whether it is a late entry, what tags it. */
export interface ReviewRun {
  text: string;
  marks: string[];
  /** Attested author (null for server-written text such as the template). */
  authorId: string | null;
  /** Wall time (ISO) when it was written after the session ended; null otherwise. */
  lateAt: string | null;
  observationIds: string[];
  /**
   * Set when these are words of `authorId` that another person deleted (account, ISO time): kept
   * struck through in the record, never counted as the note's words (quotes, passages).
   */
  struck: { by: string; at: string } | null;
  /**
   * Set when another person changed the formatting of these words of `authorId` (put a mark on or
   * took one off, or moved them into or out of a heading, quote, list or code block: `block:…`
   * marks) and they still look that way: who (account), when (ISO), which marks.
   */
  formatted: { by: string; at: string; changes: { mark: string; on: boolean }[] } | null;
  /** Yjs id of the run's first character: the anchor for comments. */
  client: number;
  clock: number;
}

export interface ReviewBlock {
  type: string;
  attrs: Record<string, unknown>;
  runs: ReviewRun[];
  children: ReviewBlock[];
  /** Who wrote this element, where that is its own (a member mention: whom it names is its writer's word). */
  authorId?: string | null;
}

export interface ReviewObservation {
  id: string;
  kind: 'span' | 'line';
  tags: { id: string; name: string; color: string }[];
  authorId: string;
  authorName: string;
  /** When the server received it (ISO 8601). */
  createdAt: string;
  /** mm:ss into the session by the server's clock (null when the clock had not started). */
  offset: string | null;
  /** Received after the session ended. */
  late: boolean;
  member: string | null;
  forCoTherapist: boolean;
  response: { by: string; byName: string; at: string; answer: 'acknowledged' | 'disputed'; note: string | null } | null;
  /**
   * The words it tags, as the note now reads: a span's text, or for a tagged line the words written
   * on that line besides its label (empty when there are none).
   */
  quote: string;
  /**
   * Others whose words are among `quote` (a co-therapist wrote inside the tagged words, or after a
   * tagged line's label), by account and name: the record says so rather than credit them to the author.
   */
  alsoWrittenBy: { id: string; name: string }[];
  /**
   * Another therapist changed which words it quotes (joined a line into a tagged line, split one,
   * typed inside or at the edge of it, took its mark off some words): who last did, when (the
   * server's time), and what it quoted before (shared/note/extentChanges.ts). Null when no one
   * did, or it quotes what it did before again.
   */
  extentChanged: { by: string; byName: string; at: string; was: string } | null;
}

export interface CaughtSummary {
  accountId: string;
  name: string;
  made: number;
  flaggedForOther: number;
  /** Flags this therapist raised that the other acknowledged ("I missed that"). */
  acknowledgedByOther: number;
  disputedByOther: number;
  /** Flags raised for this therapist that they acknowledged. */
  acknowledgedOwnMiss: number;
  unanswered: number;
  byTag: Record<string, number>;
}

export interface ReviewPerson {
  accountId: string;
  name: string;
  color: string;
}

export interface CommentView {
  id: string;
  authorId: string;
  authorName: string;
  parentId: string | null;
  anchor: CommentAnchor;
  body: string;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

export interface ReviewView {
  sessionId: string;
  title: string;
  kind: SessionKind;
  status: SessionStatus;
  startedAt: string | null;
  endedAt: string | null;
  authors: ReviewPerson[];
  blocks: ReviewBlock[];
  observations: ReviewObservation[];
  whoCaughtWhat: CaughtSummary[];
  signatures: { kind: 'signed' | 'cosigned'; by: string; name: string; at: string; digest: string | null }[];
  /**
   * The note's therapists with no signature since it was last returned; `awaited`: whether signing
   * waits for them now (false for one whose account can no longer sign: made an admin, deactivated);
   * `addedAfterLock`: made a member (by an admin) after the note was locked, so never a signer of it.
   */
  unsigned: { by: string; name: string; awaited: boolean; addedAfterLock: boolean }[];
  returns: { by: string; name: string; at: string; reason: string }[];
  /**
   * When the attendance or member labels last changed (null: never). They are part of what is
   * signed, not of the note's digest: a signature given before this stands for no current record.
   */
  recordChangedAt: string | null;
  addenda: { id: string; by: string; name: string; at: string; text: string }[];
  comments: CommentView[];
  /**
   * Members' risk assessments and plans, by label, with who last saved each and when the server
   * received it; `authors`: the name of who wrote each part.
   */
  risk: { member: string; assessment: string; plan: string; by: string; name: string; at: string; authors: { assessment: string; plan: string } }[];
  /**
   * A group session's attendance, one entry per member label in the group's order; null for an
   * individual session. A member nobody marked was present once the session ended: the session
   * page shows them present and their member note is made (a walk saw the export say "not
   * recorded" for members whose notes said present). Before it ended, such a member is
   * `not recorded` (walk, 6 Dec: the export said "M1 present" while the panel said not recorded).
   */
  attendance: { member: string; attendance: 'present' | 'absent' | 'late' | 'not recorded' }[] | null;
  /**
   * A member note's group session: when it started and ended (a member note has no clock of its
   * own: it is written after the session it documents). Null for any other note. Its title is not
   * given: it may name other members.
   */
  groupTimes: { startedAt: string | null; endedAt: string | null } | null;
}

/** Longest quote kept with a passage comment; a longer passage's quote ends in an ellipsis. */
export const MAX_QUOTE_CHARS = 2000;
export const clipQuote = (quote: string): string => (quote.length > MAX_QUOTE_CHARS ? `${quote.slice(0, MAX_QUOTE_CHARS - 1)}…` : quote);

const yId = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() }).strict();
export const commentAnchorSchema = z.discriminatedUnion('type', [
  // `quote` is what the commenter saw selected; the server stores the note's own words instead, and refuses a quote that differs.
  z.object({ type: z.literal('passage'), start: yId, end: yId, quote: z.string().max(MAX_QUOTE_CHARS) }).strict(),
  z.object({ type: z.literal('observation'), observationId: z.uuid() }).strict(),
]);
export type CommentAnchor = z.infer<typeof commentAnchorSchema>;

export const createCommentBodySchema = z
  .object({ anchor: commentAnchorSchema.optional(), parentId: z.uuid().optional(), body: z.string().trim().min(1).max(5000) })
  .strict()
  .refine((b) => (b.anchor === undefined) !== (b.parentId === undefined), 'give either an anchor (a new comment) or a parentId (a reply)');
export const updateCommentBodySchema = z.object({ body: z.string().trim().min(1).max(5000) }).strict();

type Signature = ReviewView['signatures'][number];

/**
 * The same person's next signature of the same kind after `s`, if any: `s` then named an earlier
 * version of the note (it changed after they signed, and they signed again). A clinician walk saw
 * a superseded signature listed like the valid ones.
 */
export function signedAgain(signatures: readonly Signature[], s: Signature): Signature | undefined {
  return signatures.filter((o) => o.by === s.by && o.kind === s.kind && o.at > s.at).sort((a, b) => a.at.localeCompare(b.at))[0];
}

/** A label the review and the exports put after words: who, when, and what they did. */
export interface RunLabel {
  by: string;
  at: string;
  /** For a formatting label, what was done ("struck through"); empty for deleted words. */
  change: string;
  /** The words the label is about: the runs it stands after, joined (for a line's kind, see formattedLabels). */
  words: string;
  /**
   * For a change of the line's kind (made a heading, a quote, a list), labelled at the line's end:
   * the words it is about when they are not the whole line, which the label quotes. Without them a
   * line of both therapists' words did not say whose words (walk D6, 1 Dec); the review page did not
   * quote them where the exports did (6 Dec).
   */
  quoted?: string;
}

/**
 * Labels after the last of adjacent runs that `pick` describes alike (same person, same change),
 * with the latest time among them. Runs in reading order.
 */
function runLabels(runs: readonly ReviewRun[], pick: (run: ReviewRun) => Omit<RunLabel, 'words'> | null): Map<ReviewRun, RunLabel> {
  const labels = new Map<ReviewRun, RunLabel>();
  let latest: string | null = null;
  let words = '';
  runs.forEach((run, i) => {
    const label = pick(run);
    if (!label) return;
    latest = latest === null || label.at > latest ? label.at : latest;
    words += run.text;
    const next = i + 1 < runs.length ? pick(runs[i + 1]!) : null;
    if (next && next.by === label.by && next.change === label.change) return;
    labels.set(run, { ...label, at: latest, words });
    latest = null;
    words = '';
  });
  return labels;
}

/**
 * Where the review and the exports say who deleted struck words: after the last of adjacent struck
 * runs deleted by one person (a word deleted key by key, or a word and the paragraph after it, is
 * one correction).
 */
export const struckLabels = (runs: readonly ReviewRun[]): Map<ReviewRun, RunLabel> =>
  runLabels(runs, (run) => run.struck && { by: run.struck.by, at: run.struck.at, change: '' });

const MARK_CHANGES: Record<string, [on: string, off: string]> = {
  strike: ['struck through', 'strike-through taken off'],
  bold: ['made bold', 'bold taken off'],
  italic: ['put in italics', 'italics taken off'],
  underline: ['underlined', 'underline taken off'],
  code: ['set as code', 'code taken off'],
  link: ['linked', 'link taken off'],
  // Words moved into or out of a block of that kind (shared/note/formattedWords.ts, blockMark).
  'block:heading': ['made a heading', 'taken out of a heading'],
  'block:blockquote': ['made a quote', 'taken out of a quote'],
  'block:bulletList': ['made a bulleted list', 'taken out of a bulleted list'],
  'block:orderedList': ['made a numbered list', 'taken out of a numbered list'],
  'block:codeBlock': ['made a code block', 'taken out of a code block'],
};

const NUMBERING: Record<string, string> = { a: 'a, b, c', A: 'A, B, C', i: 'i, ii, iii', I: 'I, II, III' };

/** What a block's attribute now reads as, set by another (an attribute kind: shared/note/formattedWords.ts). */
function attributeChange({ node, attribute, value }: { node: string; attribute: string; value: unknown }): string {
  const key = `${node}.${attribute}`;
  if (key === 'heading.level') return `made a level-${String(value)} heading`;
  if (key === 'orderedList.start') return `numbering set to start at ${String(value)}`;
  if (key === 'orderedList.type') return `numbered ${NUMBERING[String(value)] ?? '1, 2, 3'}`;
  if (key === 'codeBlock.language') return value === null ? 'code language taken off' : `code language set to ${String(value)}`;
  return `${key} set to ${JSON.stringify(value)}`;
}

/**
 * What a formatting change did, in words: "struck through", "bold taken off, underlined", "made a
 * level-4 heading". A block's attribute is named by the value it was given; where the same change
 * made the words that kind of block, the kind's label says it ("made a heading", not also its level).
 */
export function formattingChange(changes: readonly { mark: string; on: boolean }[]): string {
  return changes
    .flatMap((c) => {
      const attribute = attributeOfKind(c.mark);
      if (!attribute) return [MARK_CHANGES[c.mark]?.[c.on ? 0 : 1] ?? `${c.mark} ${c.on ? 'put on' : 'taken off'}`];
      const kindPut = changes.some((k) => k.on && k.mark === blockMark(attribute.node));
      return c.on && !kindPut ? [attributeChange(attribute)] : [];
    })
    .join(', ');
}

/**
 * Where the review and the exports say who changed the formatting of another's words, and how, by
 * the run each label follows (a run may have several). A mark's label stands right after the words
 * it is on. A change of the line's kind (a heading, a quote, a list) is the whole line's: every such
 * label of the line stands at its end, one per person and change, naming the words it is about
 * (`words`, whole words, stretches apart joined by " … "). After the words the change moved, a label
 * split a word the writer went on typing ("the exam re [made a heading by …] sults", walk, 6 Dec),
 * and two labels of one line, one after the words her first change moved and one after the letters
 * typed meanwhile, cut "twice" into "twi … ce" (walk, 6 Dec). `runs`: one text block's, in reading
 * order.
 */
export function formattedLabels(runs: readonly ReviewRun[]): Map<ReviewRun, RunLabel[]> {
  const labels = new Map<ReviewRun, RunLabel[]>();
  const put = (run: ReviewRun, label: RunLabel) => labels.set(run, [...(labels.get(run) ?? []), label]);
  const part = (run: ReviewRun, kinds: boolean) => {
    const changes = run.formatted?.changes.filter((c) => isBlockMark(c.mark) === kinds) ?? [];
    return changes.length === 0 ? null : { by: run.formatted!.by, at: run.formatted!.at, change: formattingChange(changes) };
  };
  for (const [run, label] of runLabels(runs, (run) => part(run, false))) put(run, label);
  // Struck words at the line's end carry who deleted them, not this.
  let end: ReviewRun | undefined;
  for (let i = runs.length - 1; i >= 0 && !end; i--) if (!runs[i]!.struck) end = runs[i];
  if (!end) return labels;
  // Per person and change, the stretches of the line's text (struck words are not in it) they are about.
  const line = runs.filter((r) => !r.struck).map((r) => r.text).join('');
  const kinds = new Map<string, Omit<RunLabel, 'words'> & { stretches: [number, number][] }>();
  let offset = 0;
  for (const run of runs) {
    if (run.struck) continue;
    const label = part(run, true);
    if (label) {
      const key = JSON.stringify([label.by, label.change]);
      const seen = kinds.get(key);
      if (seen) seen.at = label.at > seen.at ? label.at : seen.at;
      (seen ?? kinds.set(key, { ...label, stretches: [] }).get(key)!).stretches.push([offset, offset + run.text.length]);
    }
    offset += run.text.length;
  }
  for (const { stretches, ...label } of kinds.values()) {
    const words = wholeWords(line, stretches);
    put(end, { ...label, words, ...(words.trim() !== line.trim() ? { quoted: words.trim() } : {}) });
  }
  return labels;
}

/**
 * The words of `line` that `stretches` (offsets, in order) touch, whole: a stretch ending inside a
 * word takes the rest of it (the letters typed on after the change, in the same word), and
 * stretches only spaces apart read as one. Those still apart are joined by " … ".
 */
function wholeWords(line: string, stretches: readonly [number, number][]): string {
  const merged: [number, number][] = [];
  for (let [from, to] of stretches) {
    while (from > 0 && /\S/.test(line[from - 1]!) && /\S/.test(line[from]!)) from--;
    while (to < line.length && /\S/.test(line[to - 1]!) && /\S/.test(line[to]!)) to++;
    const last = merged.at(-1);
    if (last && line.slice(last[1], from).trim() === '') last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged.map(([from, to]) => line.slice(from, to).trim()).join(' … ');
}

/** One late entry: who wrote it (null: the template), from when to when (ISO). */
export interface LateEntryLabel {
  by: string | null;
  from: string;
  to: string;
}

/**
 * The late entries among a text block's runs, by the run their label follows: adjacent late runs by
 * one author are one entry, however many keystrokes (each stamped on its own) it took to type, and
 * one author's words right after another's are an entry of their own, with its own time. The
 * review, the exports and the supervisor's figures all read late entries here, so they agree. Struck
 * words (deleted later, shown crossed out) carry no label and no time of their own; they do not
 * break the entry they sit in.
 */
export function lateEntryLabels(runs: readonly ReviewRun[]): Map<ReviewRun, LateEntryLabel> {
  const labels = new Map<ReviewRun, LateEntryLabel>();
  let open: (LateEntryLabel & { last: ReviewRun | null }) | null = null;
  runs.forEach((run, i) => {
    if (run.lateAt === null) return;
    open ??= { by: run.authorId, from: run.lateAt, to: run.lateAt, last: null };
    // Spaces alone are no entry: one typed after the end between two words of the note drew a late
    // label (and, in the PDF, its writer's initials) around a blank (walk, 4 Dec).
    if (!run.struck && /\S/.test(run.text)) {
      if (open.last === null || run.lateAt < open.from) open.from = run.lateAt;
      if (open.last === null || run.lateAt > open.to) open.to = run.lateAt;
      open.last = run;
    }
    const next = runs[i + 1];
    if (next && next.lateAt !== null && next.authorId === run.authorId) return;
    if (open.last) labels.set(open.last, { by: open.by, from: open.from, to: open.to });
    open = null;
  });
  return labels;
}
