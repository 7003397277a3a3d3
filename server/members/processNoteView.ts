import type { KeeperAskView, ProcessNoteView } from '../../shared/domain/processNote';
import type { AccountRecord, AtomicWrite, MemberRecord, ProcessNoteRecord, Store } from '../persistence/ports';
import { holdingIn } from '../services/memberGrants';
import { askKindsOf, askRecords, awaitedIn, keepersBut, standingAsksIn, type AskKind, type AskRecord, type KeeperAsk } from './processNoteAsks';
import { unsharedIn } from './processNotes';

type ViewStore = Pick<Store, 'accounts' | 'sessions' | 'audit'>;

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** What the view of process notes is made of, read together. */
export interface ProcessNoteFacts {
  accounts: ReadonlyMap<string, AccountRecord>;
  /** The members of the notes' own session: their keepers, and the supervisors shared with. */
  keeping: readonly MemberRecord[];
  /** The members of the session they are of. */
  members: readonly MemberRecord[];
  /** Each kind of ask's records since its last answer, newest first (askRecords). */
  asks: Readonly<Record<AskKind, readonly AskRecord[]>>;
}

export async function readProcessNoteFacts(store: ViewStore, p: ProcessNoteRecord): Promise<ProcessNoteFacts> {
  const [accounts, keeping, members, share, removal, retention] = await Promise.all([
    store.accounts.list(), store.sessions.members(p.processSessionId), store.sessions.members(p.sessionId),
    askRecords(store, p, 'share'), askRecords(store, p, 'removal'), askRecords(store, p, 'retention'),
  ]);
  return { accounts: new Map(accounts.map((a) => [a.id, a])), keeping, members, asks: { share, removal, retention } };
}

/**
 * `facts` once `writes`, one step's unit of work on the notes `p`, are stored: its audit records
 * are the newest of their kinds of ask, and the memberships it gives or takes are the notes' own.
 */
export function withStoredWrites(facts: ProcessNoteFacts, p: ProcessNoteRecord, writes: readonly AtomicWrite[]): ProcessNoteFacts {
  const asks = { ...facts.asks };
  let keeping = [...facts.keeping];
  const holds = (m: MemberRecord) => (keeping = [...keeping.filter((k) => k.accountId !== m.accountId), m]);
  for (const w of writes) {
    if (w.kind === 'audit' && w.entry.sessionId === p.sessionId) for (const kind of askKindsOf(w.entry.action)) asks[kind] = [w.entry, ...asks[kind]];
    else if (w.kind === 'putMember' && w.member.sessionId === p.processSessionId) holds(w.member);
    else if (w.kind === 'createSession' && w.session.id === p.processSessionId) holds(w.firstMember);
    else if (w.kind === 'removeMember' && w.sessionId === p.processSessionId) keeping = keeping.filter((k) => k.accountId !== w.accountId);
  }
  return { ...facts, asks, keeping };
}

/** The viewer's own ask where one of theirs stands (with three keepers, another's newer one hid it), else the newest. */
const shownAsk = (asks: KeeperAsk[], viewerId: string): KeeperAsk | null => asks.find((a) => a.by === viewerId) ?? asks[0] ?? null;

/** The process notes as `viewerId`'s page shows them, with who shared them, and what a keeper asked the others to agree to. */
export async function presentProcessNote(deps: { store: ViewStore }, p: ProcessNoteRecord, viewerId: string): Promise<ProcessNoteView> {
  return processNoteView(await readProcessNoteFacts(deps.store, p), p, viewerId);
}

/** presentProcessNote, of what it reads (`facts`). */
export function processNoteView(facts: ProcessNoteFacts, p: ProcessNoteRecord, viewerId: string): ProcessNoteView {
  const nameOf = (id: string) => facts.accounts.get(id)?.name ?? 'Former member';
  const keepers = holdingIn(facts.accounts, facts.keeping);
  const asksOf = (kind: AskKind) => standingAsksIn(kind, facts.asks[kind], keepers);
  const [share, removal, retention] = [asksOf('share'), asksOf('removal'), asksOf('retention')];
  // An ask as the viewer reads it: who asked and when, and which keepers have still to agree.
  const view = (asks: KeeperAsk[]): KeeperAskView | null => {
    const ask = shownAsk(asks, viewerId);
    if (ask === null) return null;
    const waiting = awaitedIn(facts.keeping, asks, ask);
    return { byName: nameOf(ask.by), byMe: ask.by === viewerId, at: iso(ask.at), waitsForMe: waiting.includes(viewerId), waitingFor: waiting.filter((k) => k !== viewerId).map(nameOf) };
  };
  const retentionAsked = view(retention);
  return {
    processSessionId: p.processSessionId, retainDays: p.retainDays, sharedAt: p.sharedAt === null ? null : iso(p.sharedAt), sharedBy: p.sharedBy === null ? null : nameOf(p.sharedBy),
    otherKeepers: keepersBut(facts.keeping, viewerId).map(nameOf),
    shareAsked: view(share), unsharedSupervisors: p.sharedAt === null ? 0 : unsharedIn(holdingIn(facts.accounts, facts.members), facts.keeping).length, removalAsked: view(removal),
    retentionAsked: retentionAsked && { ...retentionAsked, retainDays: shownAsk(retention, viewerId)!.retainDays! },
    createdAt: iso(p.createdAt), removesAt: p.retainDays === null ? null : iso(p.createdAt + p.retainDays * DAY_MS),
  };
}
