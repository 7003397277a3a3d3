/**
 * Where a keeper's ask to remove a session's process notes stands now, for one reader of the notice
 * it put in their inbox. The notice keeps the words of when it was sent ("they are removed only if
 * you agree"), and went on asking the reader to act after the ask was withdrawn, the notes removed,
 * or the asker taken off the session (attack, 7 Dec). It is read by the rule the page reads asks by
 * (processNoteAsks.ts standingAsks, awaitedBy).
 */
import type { Store } from '../persistence/ports';
import { awaitedBy, standingAsks } from './processNoteAsks';

/**
 * `waiting`: the ask stands and waits for the reader (`others`: the other keepers it waits for);
 * `agreed`: it stands, the reader has asked the same, and it waits for `others`; `lapsed`: it no
 * longer stands for the reader (withdrawn, answered by a retention chosen since, its asker no
 * longer keeping the notes or unable to act, or the reader no longer keeping them); `removed`: the
 * notes were removed.
 */
export type RemovalAskNow = { now: 'waiting' | 'agreed'; others: string[] } | { now: 'lapsed' | 'removed' };

/** For each asker, where their ask to remove the process notes of `sessionId` stands for `readerId`. */
export async function removalAsksNow(store: Pick<Store, 'audit' | 'sessions' | 'accounts' | 'memberNotes'>, sessionId: string, readerId: string): Promise<(askerId: string) => RemovalAskNow> {
  const note = await store.memberNotes.processNote(sessionId, 'session');
  if (!note || note.removedAt !== null) return () => ({ now: 'removed' });
  const asks = await standingAsks(store, note, 'removal');
  const awaited = new Map(await Promise.all(asks.map(async (a) => [a.by, await awaitedBy(store, note, asks, a)] as const)));
  const readerAsked = asks.some((a) => a.by === readerId);
  return (askerId) => {
    const waiting = awaited.get(askerId);
    if (!waiting) return { now: 'lapsed' };
    const others = waiting.filter((k) => k !== readerId);
    if (waiting.includes(readerId)) return { now: 'waiting', others };
    return readerAsked ? { now: 'agreed', others } : { now: 'lapsed' };
  };
}
