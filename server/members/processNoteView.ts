import type { KeeperAskView, ProcessNoteView } from '../../shared/domain/processNote';
import type { ProcessNoteRecord, Store } from '../persistence/ports';
import { awaitedBy, otherKeepers, standingAsks, type KeeperAsk } from './processNoteAsks';
import { supervisorsToShareWith } from './processNotes';

type ViewStore = Pick<Store, 'accounts' | 'sessions' | 'audit'>;

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The viewer's own ask where one of theirs stands (with three keepers, another's newer one hid it), else the newest. */
const shownAsk = (asks: KeeperAsk[], viewerId: string): KeeperAsk | null => asks.find((a) => a.by === viewerId) ?? asks[0] ?? null;

/**
 * An ask as `viewerId` reads it: who asked and when, and which keepers have still to agree
 * (awaitedBy).
 */
async function askView(store: ViewStore, p: ProcessNoteRecord, asks: KeeperAsk[], viewerId: string, nameOf: (id: string) => Promise<string>): Promise<KeeperAskView | null> {
  const ask = shownAsk(asks, viewerId);
  if (ask === null) return null;
  const waiting = await awaitedBy(store, p, asks, ask);
  return {
    byName: await nameOf(ask.by), byMe: ask.by === viewerId, at: iso(ask.at),
    waitsForMe: waiting.includes(viewerId), waitingFor: await Promise.all(waiting.filter((k) => k !== viewerId).map(nameOf)),
  };
}

/** The process notes as `viewerId`'s page shows them, with who shared them, and what a keeper asked the others to agree to. */
export async function presentProcessNote(deps: { store: ViewStore }, p: ProcessNoteRecord, viewerId: string): Promise<ProcessNoteView> {
  const nameOf = async (id: string) => (await deps.store.accounts.byId(id))?.name ?? 'Former member';
  const [share, removal, retention, unshared, keepers] = await Promise.all([
    standingAsks(deps.store, p, 'share'), standingAsks(deps.store, p, 'removal'), standingAsks(deps.store, p, 'retention'),
    supervisorsToShareWith(deps.store, p), otherKeepers(deps.store, p, viewerId),
  ]);
  const view = (asks: KeeperAsk[]) => askView(deps.store, p, asks, viewerId, nameOf);
  const [shareAsked, removalAsked, retentionAsked] = await Promise.all([view(share), view(removal), view(retention)]);
  return {
    processSessionId: p.processSessionId, retainDays: p.retainDays, sharedAt: p.sharedAt === null ? null : iso(p.sharedAt), sharedBy: p.sharedBy === null ? null : await nameOf(p.sharedBy),
    otherKeepers: await Promise.all(keepers.map(nameOf)),
    shareAsked, unsharedSupervisors: p.sharedAt === null ? 0 : unshared.length, removalAsked,
    retentionAsked: retentionAsked && { ...retentionAsked, retainDays: shownAsk(retention, viewerId)!.retainDays! },
    createdAt: iso(p.createdAt), removesAt: p.retainDays === null ? null : iso(p.createdAt + p.retainDays * DAY_MS),
  };
}
