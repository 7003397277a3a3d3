import type { ThreadView } from '../../shared/domain/supervisor';
import type { AccountRecord, CommentRecord, Store } from '../persistence/ports';

/** The root of each comment's thread (replies point at the root). */
export const rootOf = (c: Pick<CommentRecord, 'id' | 'parentId'>): string => c.parentId ?? c.id;

/** Every thread of the session: resolved or not, its size, and who has read it. */
export async function threadViews(store: Store, sessionId: string, accounts: Map<string, AccountRecord>, comments?: CommentRecord[]): Promise<ThreadView[]> {
  const all = comments ?? (await store.comments.list(sessionId));
  const [states, reads] = await Promise.all([store.threads.states(sessionId), store.threads.reads(sessionId)]);
  const name = (id: string) => accounts.get(id)?.name ?? 'Former member';
  const live = all.filter((c) => !c.deleted);
  return all
    .filter((c) => c.parentId === null)
    .map((root) => {
      const state = states.find((s) => s.rootId === root.id);
      const resolved = state?.resolvedBy != null;
      return {
        rootId: root.id,
        resolved,
        resolvedBy: resolved ? state!.resolvedBy : null,
        resolvedByName: resolved ? name(state!.resolvedBy!) : null,
        resolvedAt: resolved && state!.resolvedAt !== null ? new Date(state!.resolvedAt).toISOString() : null,
        readers: reads.filter((r) => r.rootId === root.id).map((r) => ({ accountId: r.accountId, name: name(r.accountId), at: new Date(r.readAt).toISOString() })),
        size: live.filter((c) => rootOf(c) === root.id).length,
      };
    });
}

/** Threads with a live comment that nobody has resolved. */
export function openThreadCount(threads: ThreadView[]): number {
  return threads.filter((t) => !t.resolved && t.size > 0).length;
}
