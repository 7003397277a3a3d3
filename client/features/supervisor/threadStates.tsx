import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CommentView } from '../../../shared/domain/review';
import type { ThreadView } from '../../../shared/domain/supervisor';
import { queryKeys } from '../../api/queryKeys';
import { fetchThreads, markThreadRead } from '../../api/supervisor';
import { useLiveEvents } from '../../api/liveEvents';

interface ThreadStates {
  sessionId: string;
  byRoot: Map<string, ThreadView>;
}

const Context = createContext<ThreadStates | null>(null);

/** The session's thread states (resolved, who read), for every comment thread rendered inside. */
export function ThreadStatesProvider({ sessionId, comments, me, children }: {
  sessionId: string;
  /** The comments shown: each thread with a comment newer than my last read is marked read. */
  comments: CommentView[];
  me: string;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const threads = useQuery({ queryKey: queryKeys.threads(sessionId), queryFn: () => fetchThreads(sessionId) });
  // The live stream says this session's comments changed: every list of them is read again.
  useLiveEvents((event) => {
    if (event.type !== 'comments' || event.sessionId !== sessionId) return;
    for (const queryKey of queryKeys.commentsOf(sessionId)) void queryClient.invalidateQueries({ queryKey });
  });
  const byRoot = new Map((threads.data ?? []).map((t) => [t.rootId, t]));

  // Shown is read: mark each thread whose newest comment I have not seen since it came.
  const unseen = (threads.data ?? []).filter((t) => {
    const newest = comments.filter((c) => (c.parentId ?? c.id) === t.rootId).reduce((max, c) => (c.createdAt > max ? c.createdAt : max), '');
    const mine = t.readers.find((r) => r.accountId === me)?.at ?? '';
    return newest !== '' && mine < newest;
  });
  const unseenKey = unseen.map((t) => t.rootId).join(',');
  const { mutate: markRead } = useMutation({
    mutationFn: (rootIds: string[]) => Promise.all(rootIds.map((rootId) => markThreadRead(sessionId, rootId))),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.threads(sessionId) }),
  });
  useEffect(() => {
    if (unseenKey) markRead(unseenKey.split(','));
  }, [unseenKey, markRead]);

  return <Context.Provider value={{ sessionId, byRoot }}>{children}</Context.Provider>;
}

export function useThreadState(rootId: string): { state: ThreadView | null; sessionId: string | null } {
  const ctx = useContext(Context);
  return { state: ctx?.byRoot.get(rootId) ?? null, sessionId: ctx?.sessionId ?? null };
}

/** Every thread state of the session (empty outside a provider or while loading). */
export function useThreadStates(): Map<string, ThreadView> {
  return useContext(Context)?.byRoot ?? new Map();
}
