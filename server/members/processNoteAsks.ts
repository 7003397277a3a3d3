/**
 * What one keeper of a session's process notes asked the other to agree to, before the co-keeper's
 * words may go: removing the notes, or keeping them for less time (attack, 6 Dec: one therapist
 * alone deleted both's notes, or had them removed within the hour by a shorter retention). An ask
 * is its audit record: the newest records of its kind say which asks stand (an answer, or a
 * retention set otherwise, is newer than those that do not), so the ask and the change are stored
 * in one unit of work without a column of their own.
 */
import type { AuditAction } from '../../shared/domain/audit';
import { DomainError, notFound } from '../domain/errors';
import { StaleWriteError } from '../persistence/storageBoundary';
import type { AtomicWrite, AuditRecord, MemberRecord, ProcessNoteRecord, Store } from '../persistence/ports';
import { holdingMembers } from '../services/memberGrants';
import { atJudgedVersion, retryWhileStale } from '../services/staleRetry';

/** One keeper's ask, waiting for another's agreement; `retainDays` for a shorter retention. */
export interface KeeperAsk {
  by: string;
  at: number;
  retainDays: number | null;
}

/**
 * The records of each kind of ask: the ask, its withdrawal by its asker, and the records that
 * answer every ask standing. A retention set since answers an ask to remove them: the keepers chose
 * how long to keep them (attack, 6 Dec: A asked to remove them, then kept them for a year; the ask
 * still stood, and B's press removed them).
 */
const KINDS = {
  removal: { asked: 'process_note_removal_asked', withdrawn: 'process_note_removal_withdrawn', answers: ['process_note_retention_changed'] },
  retention: { asked: 'process_note_retention_asked', withdrawn: null, answers: ['process_note_retention_changed'] },
  share: { asked: 'process_note_share_asked', withdrawn: null, answers: ['process_note_shared'] },
} as const satisfies Record<string, { asked: AuditAction; withdrawn: AuditAction | null; answers: readonly AuditAction[] }>;

export type AskKind = keyof typeof KINDS;

/** The records of one kind of ask, newest first, read a page at a time. */
async function* records(store: Pick<Store, 'audit'>, note: ProcessNoteRecord, kind: AskKind) {
  const { asked, withdrawn, answers } = KINDS[kind];
  const actions: AuditAction[] = [asked, ...(withdrawn ? [withdrawn] : []), ...answers];
  for (let beforeId: number | undefined; ; ) {
    const page = await store.audit.list({ sessionId: note.sessionId, actions, limit: 50, beforeId });
    yield* page;
    if (page.length < 50) return;
    beforeId = page[page.length - 1]!.id;
  }
}

type AskStore = Pick<Store, 'audit' | 'sessions' | 'accounts'>;

/** An audit record as the asks are read from it (a step's own record, not read back, has no id). */
export type AskRecord = Pick<AuditRecord, 'actorId' | 'action' | 'at' | 'detail'>;

/** Whether `r` answers every ask of `kind` before it (as an unattributed record ends them too). */
const isAnswer = (kind: AskKind, r: AskRecord) => (KINDS[kind].answers as readonly AuditAction[]).includes(r.action);

/** The kinds of ask whose records `action` is among. */
export const askKindsOf = (action: AuditAction): AskKind[] =>
  (Object.keys(KINDS) as AskKind[]).filter((k) => ([KINDS[k].asked, KINDS[k].withdrawn, ...KINDS[k].answers] as readonly (AuditAction | null)[]).includes(action));

/** The records of one kind of ask since its last answer, newest first: all that standingAsksIn reads. */
export async function askRecords(store: Pick<Store, 'audit'>, note: ProcessNoteRecord, kind: AskKind): Promise<AskRecord[]> {
  const out: AskRecord[] = [];
  for await (const r of records(store, note, kind)) {
    if (r.actorId === null || isAnswer(kind, r)) break;
    out.push(r);
  }
  return out;
}

/**
 * The asks of `kind` that stand, newest first, each keeper's newest: those since the last answer,
 * at the value of the newest (an ask of a retention at another value is no longer asked), and of
 * a keeper who has kept the notes since they asked and whose account may act now. An ask its
 * asker withdrew no longer counts, nor one of someone who is no longer a keeper, or who left and
 * came back since (walk, 6 Dec: B asked to remove them, left the session, came back months on, and
 * A's press removed B's words on the strength of an ask B could no longer see or take back), nor
 * one of an account deactivated or made an admin, which can take nothing back either (it counts
 * again once the account may act). The one rule for every place that shows or counts an ask: the
 * page read the share ask from a column of its own, and showed one whose asker had left (attack, 7 Dec).
 */
export async function standingAsks(store: AskStore, note: ProcessNoteRecord, kind: AskKind): Promise<KeeperAsk[]> {
  const [keepers, recorded] = await Promise.all([store.sessions.members(note.processSessionId).then((m) => holdingMembers(store, m)), askRecords(store, note, kind)]);
  return standingAsksIn(kind, recorded, keepers);
}

/** standingAsks, of `kind`'s records (newest first) and the keepers who may hold their membership now. */
export function standingAsksIn(kind: AskKind, recorded: Iterable<AskRecord>, keepers: readonly MemberRecord[]): KeeperAsk[] {
  const keptSince = new Map(keepers.filter((m) => m.role === 'therapist').map((m) => [m.accountId, m.addedAt]));
  const withdrawn = new Set<string>();
  const out: KeeperAsk[] = [];
  for (const r of recorded) {
    if (r.actorId === null || isAnswer(kind, r)) return out;
    if (r.action !== KINDS[kind].asked) withdrawn.add(r.actorId);
    const since = keptSince.get(r.actorId);
    if (withdrawn.has(r.actorId) || since === undefined || r.at < since || out.some((a) => a.by === r.actorId)) continue;
    const retainDays = typeof r.detail.retainDays === 'number' ? r.detail.retainDays : null;
    if (out.length > 0 && out[0]!.retainDays !== retainDays) return out;
    out.push({ by: r.actorId, at: r.at, retainDays });
  }
  return out;
}

/**
 * The keepers who asked for this step (`retainDays` for a retention) and whose ask stands
 * (standingAsks). It is done once every other keeper is among them (attack, 6 Dec: with three
 * keepers, the second's ask did it, and the third's words went unasked).
 */
export async function askers(store: AskStore, note: ProcessNoteRecord, kind: AskKind, retainDays: number | null = null): Promise<Set<string>> {
  return new Set((await standingAsks(store, note, kind)).filter((a) => a.retainDays === retainDays).map((a) => a.by));
}

/**
 * The keepers of `note` (therapists of its own session) other than `actorId`: whom a step asks
 * first. Also one whose account cannot act now (made an admin, deactivated): their words are in the
 * notes, and an account flipped for a minute let the other destroy them alone. An admin who takes
 * them off the session (with a reason) takes them off the notes too, and then the other decides.
 */
export async function otherKeepers(store: Pick<Store, 'sessions'>, note: ProcessNoteRecord, actorId: string): Promise<string[]> {
  return keepersBut(await store.sessions.members(note.processSessionId), actorId);
}

/** otherKeepers, of the members of the notes' own session (`keeping`). */
export const keepersBut = (keeping: readonly MemberRecord[], actorId: string): string[] =>
  keeping.filter((m) => m.role === 'therapist' && m.accountId !== actorId).map((m) => m.accountId);

/**
 * The keepers `ask` still waits for: every keeper but its asker who has not asked the same (with
 * three keepers the page said "once your co-therapist agrees" to the asker, and "only if you
 * agree" to a keeper whose agreement was one of two still missing: walk, 6 Dec). `asks`: the
 * standing asks of its kind (standingAsks), read once by the caller for all its asks.
 */
export async function awaitedBy(store: Pick<Store, 'sessions'>, note: ProcessNoteRecord, asks: readonly KeeperAsk[], ask: KeeperAsk): Promise<string[]> {
  return awaitedIn(await store.sessions.members(note.processSessionId), asks, ask);
}

/** awaitedBy, of the members of the notes' own session (`keeping`). */
export function awaitedIn(keeping: readonly MemberRecord[], asks: readonly KeeperAsk[], ask: KeeperAsk): string[] {
  const asked = new Set(asks.filter((a) => a.retainDays === ask.retainDays).map((a) => a.by));
  return keepersBut(keeping, ask.by).filter((k) => !asked.has(k));
}

/** Stores a step's writes, at the version of the notes' own session the step was judged at. */
export type JudgedCommit = (writes: AtomicWrite[]) => Promise<void>;

/**
 * Runs `step` on the notes as they stand at one version of their own session, and stores what it
 * decided only at that version, bumping it (`commit`): a step judged on the asks is judged again
 * when another step was stored meanwhile, up to five times, then 409 session_busy
 * (services/staleRetry.ts). B withdrew their ask to remove them while A pressed Remove, each judged
 * on what it read before the other wrote: B was told the ask was withdrawn, and A's press removed
 * B's words on it (attack, 7 Dec). The notes are read afresh each round (removed meanwhile: 404,
 * as they are for everyone once gone).
 */
export async function judgedAtVersion<T>(store: Pick<Store, 'sessions' | 'memberNotes' | 'commit'>, note: ProcessNoteRecord, step: (note: ProcessNoteRecord, commit: JudgedCommit) => Promise<T>): Promise<T> {
  return retryWhileStale('The process notes kept changing while this was being done; do it again.', async () => {
    const own = await store.sessions.byId(note.processSessionId);
    const now = await store.memberNotes.processNote(note.sessionId, 'session');
    if (!own || !now || now.removedAt !== null) throw notFound('The process notes');
    const at = atJudgedVersion(own);
    return step(now, async (writes) => {
      await store.commit([at, ...writes]);
    }).catch(async (err: unknown) => {
      // A refusal judged on a version another step has since moved on is judged again too: B's
      // withdrawal read the notes before A's removal was stored and the asks after it, and was
      // told it had no ask to withdraw (409) where the notes were gone (404) (CI, 7 Dec).
      if (err instanceof DomainError && (await store.sessions.byId(own.id))?.version !== own.version) throw new StaleWriteError('session', own.id);
      throw err;
    });
  });
}
