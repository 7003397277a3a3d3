import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { CommentView } from '../../../shared/domain/review';
import type { ThreadView } from '../../../shared/domain/supervisor';
import { fetchThreads, markThreadRead } from '../../api/supervisor';
import { useLiveUpdates } from '../../api/liveEvents';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';

interface ThreadStates {
  sessionId: string;
  byRoot: Map<string, ThreadView>;
  reload(): Promise<void>;
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
  const state = loadStateOf(useQuery({ queryKey: keys.session(sessionId, 'threads'), queryFn: () => fetchThreads(sessionId) }));
  const reload = useStale(keys.session(sessionId, 'threads'));
  // When the live stream says this session's comments changed, the comments shown (the margin's,
  // or the review's) and these states are read again (query/liveInvalidation.ts).
  useLiveUpdates();
  const byRoot = new Map(state.status === 'ok' ? state.data.map((t) => [t.rootId, t]) : []);

  // Shown is read: mark each thread whose newest comment I have not seen since it came.
  const unseen = state.status !== 'ok' ? [] : state.data.filter((t) => {
    const newest = comments.filter((c) => (c.parentId ?? c.id) === t.rootId).reduce((max, c) => (c.createdAt > max ? c.createdAt : max), '');
    const mine = t.readers.find((r) => r.accountId === me)?.at ?? '';
    return newest !== '' && mine < newest;
  });
  const unseenKey = unseen.map((t) => t.rootId).join(',');
  useEffect(() => {
    if (!unseenKey) return;
    void Promise.all(unseenKey.split(',').map((rootId) => markThreadRead(sessionId, rootId))).then(reload, () => undefined);
  }, [sessionId, unseenKey, reload]);

  return <Context.Provider value={{ sessionId, byRoot, reload }}>{children}</Context.Provider>;
}

export function useThreadState(rootId: string): { state: ThreadView | null; sessionId: string | null; reload(): Promise<void> } {
  const ctx = useContext(Context);
  return { state: ctx?.byRoot.get(rootId) ?? null, sessionId: ctx?.sessionId ?? null, reload: ctx?.reload ?? (() => Promise.resolve()) };
}

/** Every thread state of the session (empty outside a provider or while loading). */
export function useThreadStates(): Map<string, ThreadView> {
  return useContext(Context)?.byRoot ?? new Map();
}
