import type * as Y from 'yjs';
import { sessionColors } from '../../shared/domain/color';
import { isLocked } from '../../shared/domain/lifecycle';
import { formatOffset, type LateEntry } from '../../shared/domain/observation';
import { riskPartAuthor } from '../../shared/domain/risk';
import type { CommentAnchor, CommentView, ReviewBlock, ReviewObservation, ReviewView } from '../../shared/domain/review';
import { caught } from './caughtSummary';
import { readNote, type Block } from '../../shared/note/readNote';
import { carriedIndex, type AuthorPiece } from '../../shared/note/carriedWords';
import { struckIndex } from '../../shared/note/struckWords';
import type { ExtentChange } from '../../shared/note/extentChanges';
import { attributeKinds, attributeOfKind, BLOCK_KINDS, blockMark, formattedIndex, formattingNow, type FormattedWords } from '../../shared/note/formattedWords';
import { MENTION_NODE, OBSERVATION_MARK, OBSERVATIONS, receivedAt, RESPONSES, riskReceivedAt, sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { AddendumRecord, CommentRecord, MemberRecord, SessionEventRecord, SessionRecord, Store } from '../persistence/ports';
import { parseAttendance } from '../members/attendance';
import { numberingLabelledOnce } from './numberingLabels';
import { observationQuotes } from './observationQuotes';
import { recordChangedAt } from '../services/recordChanges';
import { currentRound } from '../services/signatureRound';
import { awaitedSigners } from '../services/memberGrants';

const iso = (ms: number) => new Date(ms).toISOString();

interface Context {
  clientAccounts: Map<number, string>;
  late: LateEntry[];
  /** Who wrote a stretch of a client's characters where they carry moved words (carriedWords.ts). */
  carried: (client: number, clock: number, len: number) => AuthorPiece[];
  /** Changes another made to the formatting of a stretch of a client's characters (formattedWords.ts). */
  formatted: (client: number, from: number, to: number) => FormattedWords[];
  /** A tagged line's observation id → its author: whose its marker is where no therapist's client wrote it. */
  lineAuthors: Map<string, string>;
}

/** `around`: the blockMark of each block kind (and attribute kind) the blocks stand in (a quote, a list), for formatting labels. */
function toReviewBlocks(blocks: Block[], ctx: Context, around: readonly string[] = []): ReviewBlock[] {
  return blocks.map((b) => {
    // Each kind once: a note may nest quotes in quotes (attack9 P1: one per level made every run cost the depth).
    const outer = BLOCK_KINDS.has(b.type) && !around.includes(blockMark(b.type)) ? [...around, blockMark(b.type)] : around;
    // Attribute kinds are the innermost block's of each kind (blocksAround): the list that numbers the line.
    const attributes = attributeKinds(b.type, (a) => b.attrs[a]).map(blockMark);
    const kinds = attributes.length === 0 ? outer : [...outer.filter((k) => attributeOfKind(k)?.node !== b.type), ...attributes];
    const block: ReviewBlock = {
      type: b.type,
      attrs: b.attrs,
      ...(b.type === MENTION_NODE && b.id ? { authorId: ctx.clientAccounts.get(b.id.client) ?? null } : {}),
      children: toReviewBlocks(b.children, ctx, kinds),
      runs: b.runs.flatMap((run) => splitByAuthorAndLateness(run, ctx)).map(({ run: r, author }) => {
        const late = ctx.late.find((l) => l.client === r.client && r.clock >= l.clock && r.clock < l.clock + l.len);
        const obs = r.marks[OBSERVATION_MARK]?.id;
        const changes = r.struck ? [] : ctx.formatted(r.client, r.clock, r.clock + 1);
        const formatted = changes.length === 0 ? null : formattingNow(changes, new Set([...Object.keys(r.marks), ...kinds]));
        return {
          text: r.text,
          marks: Object.keys(r.marks).filter((m) => m !== OBSERVATION_MARK),
          // A tagged line's marker the reveal wrote (blind mode: no therapist's client wrote it) is its
          // observer's words, not the template's (walk, 4 Dec, M6).
          authorId: r.struck ? r.struck.author : author !== undefined ? author : (ctx.clientAccounts.get(r.client) ?? (typeof obs === 'string' ? ctx.lineAuthors.get(obs) : undefined) ?? null),
          lateAt: late ? iso(late.at) : null,
          observationIds: typeof obs === 'string' ? [obs] : [],
          struck: r.struck ? { by: r.struck.by, at: iso(r.struck.at) } : null,
          formatted: formatted && { by: formatted.by, at: iso(formatted.at), changes: formatted.changes },
          client: r.client,
          clock: r.clock,
        };
      }),
    };
    return b.type === 'orderedList' ? numberingLabelledOnce(block) : block;
  });
}

/**
 * Splits a run where a late-entry range, a range of carried words or a change another made to its
 * formatting starts or ends inside it, so each piece is wholly late or not, has one author (the
 * account its carried words are: moved words keep their writer; else undefined, its client id's
 * account) and one formatting history.
 */
function splitByAuthorAndLateness(run: Block['runs'][number], ctx: Context): { run: Block['runs'][number]; author: string | null | undefined }[] {
  const end = run.clock + run.text.length;
  const authors = run.struck ? [{ clock: run.clock, len: run.text.length, author: undefined }] : ctx.carried(run.client, run.clock, run.text.length);
  const cuts = [
    ...ctx.late.filter((l) => l.client === run.client).flatMap((l) => [l.clock, l.clock + l.len]),
    ...authors.map((a) => a.clock),
    ...(run.struck ? [] : ctx.formatted(run.client, run.clock, end).flatMap((f) => [f.clock, f.clock + f.len])),
  ].filter((c) => c > run.clock && c < end);
  const pieces: { run: Block['runs'][number]; author: string | null | undefined }[] = [];
  let from = run.clock;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(end)) {
    const author = authors.find((a) => from >= a.clock && from < a.clock + a.len)?.author;
    pieces.push({ run: { ...run, text: run.text.slice(from - run.clock, cut - run.clock), clock: from }, author });
    from = cut;
  }
  return pieces;
}

/**
 * The stored record a review is drawn from besides the note: read from the store on the event
 * loop (`reviewFacts`), then handed with the note to the note-reading thread (`reviewOf`). Plain
 * data, so it crosses to the thread as it is.
 */
export interface ReviewFacts {
  session: SessionRecord;
  /** Account id → name, of every account (a former member keeps a name in what they wrote). */
  names: Map<string, string>;
  /** Yjs client id → the account it is bound to (the server's authorship bindings). */
  clientAccounts: Map<number, string>;
  tags: Map<string, { name: string; color: string }>;
  members: MemberRecord[];
  /** The therapists whose signature the note waits for now (services/memberGrants.ts). */
  awaitedSigners: string[];
  events: SessionEventRecord[];
  attendance: string | null;
  /** When the attendance or member labels last changed (ms; 0: never; recordChanges.ts). */
  recordChangedAt: number;
  /** A member note's group session (see ReviewView.groupTimes). */
  groupSession: SessionRecord | null;
  comments: CommentRecord[];
  addenda: AddendumRecord[];
}

/** Reads what `reviewOf` needs from the store. */
export async function reviewFacts(store: Store, session: SessionRecord): Promise<ReviewFacts> {
  const [accounts, tags, members, events, attendance, comments, addenda, clientAccounts, groupSession, recordChanged] = await Promise.all([
    store.accounts.list(), store.tags.list(), store.sessions.members(session.id), store.events.list(session.id),
    session.kind === 'group' ? store.memberNotes.attendance(session.id) : null,
    store.comments.list(session.id), store.addenda.list(session.id), store.bindings.forSession(session.id),
    store.memberNotes.groupOf(session.id).then((link) => (link ? store.sessions.byId(link.groupSessionId) : null)),
    recordChangedAt(store, session.id),
  ]);
  return {
    session, clientAccounts, members, events, attendance, comments, addenda, groupSession, recordChangedAt: recordChanged, awaitedSigners: await awaitedSigners(store, members),
    names: new Map(accounts.map((a) => [a.id, a.name])),
    tags: new Map(tags.map((t) => [t.id, { name: t.name, color: t.color }])),
  };
}

/**
 * The note's blocks as the review shows them and the exports write them: runs with their author
 * (`clientAccounts`: the server's authorship bindings), late time, struck and formatting labels.
 */
export function reviewBlocks(doc: Y.Doc, clientAccounts: Map<number, string>): ReviewBlock[] {
  const { note, lateEntries, struck, carried, formatted, observations } = sessionDoc(doc);
  return toReviewBlocks(readNote(note, struckIndex(struck.values())), {
    clientAccounts,
    lineAuthors: new Map(Array.from(observations.values()).filter((o) => o.kind === 'line').map((o) => [o.id, o.authorId])),
    late: Array.from(lateEntries.values()),
    carried: carriedIndex(carried.values()),
    formatted: formattedIndex(formatted.values()),
  });
}

/** Everything the review page shows, built from the note's document and the stored record. */
export function reviewOf(doc: Y.Doc, facts: ReviewFacts): ReviewView {
  const { session, clientAccounts, tags, members } = facts;
  const name = (id: string) => facts.names.get(id) ?? 'Former member';
  const { observations, responses, risk, struck, formatted, extents } = sessionDoc(doc);
  const blocks = reviewBlocks(doc, clientAccounts);
  const lineIds = new Set([...observations.values()].filter((o) => o.kind === 'line').map((o) => o.id));
  const quotes = observationQuotes(blocks, lineIds);

  const obsViews: ReviewObservation[] = Array.from(observations.values(), (o) => ({ o, received: receivedAt(doc, OBSERVATIONS, o.id, o.createdAt) }))
    .sort((a, b) => a.received.at - b.received.at)
    .map(({ o, received }) => {
      const response = responses.get(o.id);
      const answeredAt = response ? receivedAt(doc, RESPONSES, o.id, response.at).at : 0;
      return {
        id: o.id,
        kind: o.kind,
        tags: o.tags.map((id) => ({ id, name: tags.get(id)?.name ?? id, color: tags.get(id)?.color ?? '#666666' })),
        authorId: o.authorId,
        authorName: name(o.authorId),
        createdAt: iso(received.at),
        offset: session.startedAt === null ? null : formatOffset(received.at - session.startedAt),
        late: received.late,
        member: o.member,
        forCoTherapist: o.forCoTherapist,
        response: response ? { by: response.by, byName: name(response.by), at: iso(answeredAt), answer: response.answer, note: response.note } : null,
        quote: quotes.get(o.id)?.quote ?? '',
        alsoWrittenBy: [...(quotes.get(o.id)?.writers ?? [])].filter((w): w is string => w !== null && w !== o.authorId).map((id) => ({ id, name: name(id) })),
        extentChanged: extentOf(extents.get(o.id), name),
      };
    });

  const therapists = members.filter((m) => m.role === 'therapist').map((m) => m.accountId);
  const authorIds = new Set<string>([...therapists, ...clientAccounts.values(), ...Array.from(struck.values(), (e) => e.by), ...Array.from(formatted.values(), (e) => e.by)]);
  const colors = sessionColors([...new Set([...members.map((m) => m.accountId), ...authorIds])]);
  const { events, comments, addenda } = facts;
  // The signature that locked the note (the round's last), for whom an admin made a member after it.
  const round = currentRound(events);
  const lockedAt = isLocked(session.status) ? (round.at(-1)?.at ?? null) : null;
  const recorded = parseAttendance(facts.attendance);
  return {
    sessionId: session.id,
    title: session.title,
    kind: session.kind,
    status: session.status,
    startedAt: session.startedAt === null ? null : iso(session.startedAt),
    endedAt: session.endedAt === null ? null : iso(session.endedAt),
    authors: Array.from(authorIds, (id) => ({ accountId: id, name: name(id), color: colors.get(id)! })),
    blocks,
    observations: obsViews,
    whoCaughtWhat: therapists.map((id) => caught(id, obsViews, name(id))),
    signatures: events
      .filter((e): e is typeof e & { kind: 'signed' | 'cosigned' } => e.kind === 'signed' || e.kind === 'cosigned')
      .map((e) => ({ kind: e.kind, by: e.actorId, name: name(e.actorId), at: iso(e.at), digest: e.digest })),
    unsigned: therapists.filter((id) => !round.some((e) => e.actorId === id)).map((id) => ({
      by: id, name: name(id), awaited: facts.awaitedSigners.includes(id), addedAfterLock: lockedAt !== null && members.find((m) => m.accountId === id)!.addedAt > lockedAt,
    })),
    returns: events.filter((e) => e.kind === 'returned').map((e) => ({ by: e.actorId, name: name(e.actorId), at: iso(e.at), reason: e.reason ?? '' })),
    recordChangedAt: facts.recordChangedAt > 0 ? iso(facts.recordChangedAt) : null,
    addenda: addenda.map((a) => ({ id: a.id, by: a.authorId, name: name(a.authorId), at: iso(a.at), text: a.body })),
    comments: comments.map((c) => presentComment(c, facts.names)),
    risk: Array.from(risk.entries())
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([member, r]) => ({
        member, assessment: r.assessment, plan: r.plan, by: r.by, name: name(r.by), at: iso(riskReceivedAt(doc, member, r.at)),
        authors: { assessment: name(riskPartAuthor(r, 'assessment')), plan: name(riskPartAuthor(r, 'plan')) },
      })),
    // Unmarked is present once the session ended (the member notes are made so); before, nobody has said so yet.
    attendance: session.kind === 'group' ? session.groupMembers.map((member) => ({ member, attendance: recorded[member] ?? (session.endedAt === null ? 'not recorded' : 'present') })) : null,
    groupTimes: facts.groupSession && {
      startedAt: facts.groupSession.startedAt === null ? null : iso(facts.groupSession.startedAt),
      endedAt: facts.groupSession.endedAt === null ? null : iso(facts.groupSession.endedAt),
    },
  };
}

/** `names`: account id → name. */
export function presentComment(
  c: { id: string; authorId: string; parentId: string | null; anchor: string; body: string; createdAt: number; updatedAt: number; deleted: boolean },
  names: ReadonlyMap<string, string>,
): CommentView {
  return {
    id: c.id,
    authorId: c.authorId,
    authorName: names.get(c.authorId) ?? 'Former member',
    parentId: c.parentId,
    anchor: JSON.parse(c.anchor) as CommentAnchor,
    body: c.deleted ? '' : c.body,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    deleted: c.deleted,
  };
}

/** Another's change of what an observation quotes (extentChanges.ts), as the review shows it; `name`: account id → name. */
function extentOf(e: ExtentChange | undefined, name: (id: string) => string): ReviewObservation['extentChanged'] {
  return e ? { by: e.by, byName: name(e.by), at: iso(e.at), was: e.was } : null;
}
