import type { Store } from './ports';

/**
 * A view of `store` for one request in which each of the reads below, with the same arguments, is
 * made once: every later ask gets the first answer. Over a crawling link (each packet delayed
 * 200 ms) every round trip is a wait, and a signature read the session's members five or six
 * times, from each check it passes through (attack, 7 Dec). One read also judges the request at
 * one version of what it reads, where each check's own read could see another.
 *
 * A commit (the request's own change, stored or refused as stale) forgets every answer, so what is
 * read after it, or in the next round of a write worked out again, is read afresh. A failed read
 * is not kept. Nothing else may use it: it lives as long as its request.
 */
export function readsOnce(store: Store): Store {
  const answers = new Map<string, Promise<unknown>>();
  const once = <A extends unknown[], R>(name: string, read: (...args: A) => Promise<R>) => (...args: A): Promise<R> => {
    const key = `${name}\n${JSON.stringify(args)}`;
    const kept = answers.get(key) as Promise<R> | undefined;
    if (kept) return kept;
    const asked = read(...args);
    answers.set(key, asked);
    asked.catch(() => answers.get(key) === asked && answers.delete(key));
    return asked;
  };
  const { sessions, accounts, events, learning, memberNotes } = store;
  return {
    ...store,
    sessions: {
      ...sessions,
      byId: once('sessions.byId', (id: string) => sessions.byId(id)),
      members: once('sessions.members', (id: string) => sessions.members(id)),
      member: once('sessions.member', (id: string, accountId: string) => sessions.member(id, accountId)),
    },
    accounts: { ...accounts, list: once('accounts.list', () => accounts.list()), byId: once('accounts.byId', (id: string) => accounts.byId(id)) },
    events: { ...events, list: once('events.list', (id: string) => events.list(id)) },
    learning: {
      ...learning,
      blindSetting: once('learning.blindSetting', (id: string) => learning.blindSetting(id)),
      blindObservations: once('learning.blindObservations', (id: string, authorId?: string) => learning.blindObservations(id, authorId)),
    },
    memberNotes: { ...memberNotes, groupOf: once('memberNotes.groupOf', (id: string) => memberNotes.groupOf(id)) },
    commit: async (writes) => {
      answers.clear();
      try {
        return await store.commit(writes);
      } finally {
        answers.clear();
      }
    },
  };
}

/** `deps` for one request, its store read once (readsOnce). */
export const readingOnce = <D extends { store: Store }>(deps: D): D => ({ ...deps, store: readsOnce(deps.store) });
