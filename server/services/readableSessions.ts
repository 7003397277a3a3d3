import { can, type Actor } from '../auth/policies';
import type { SessionRecord, Store } from '../persistence/ports';

/**
 * The sessions an account may read: those it is a member of in a role its account role fits
 * (policies.ts `can`). A therapist made an admin stays a member (the record keeps who wrote), and
 * must not see the sessions' titles and members listed, nor their figures in the trends.
 */
export async function sessionsReadBy(store: Pick<Store, 'sessions'>, account: Actor & { id: string }): Promise<SessionRecord[]> {
  const sessions = await store.sessions.listForAccount(account.id);
  const reads = await Promise.all(sessions.map((s) => readsSession(store, s.id, account)));
  return sessions.filter((_, i) => reads[i]);
}

/**
 * Whether the account may read one session: a member in a role its account role fits (`can`).
 * Membership alone is not enough (attack, 6 Dec): a recurring group's history and a member note's
 * sign check read the other weeks' and the group note's membership as it stood, and showed a
 * supervisor made a clinician the weeks she had supervised.
 */
export async function readsSession(store: Pick<Store, 'sessions'>, sessionId: string, account: Actor & { id: string }): Promise<boolean> {
  return can(account, 'read', (await store.sessions.member(sessionId, account.id))?.role ?? null);
}

/**
 * The members of a session who may read it now (`can`): whom a word about it may reach, live or in
 * the inbox. A therapist made an admin kept getting the notice ping and stored notices of the
 * session's flags, comments and signatures (attack, 6 Dec), while the pages refused them.
 */
export async function readersOf(store: Pick<Store, 'sessions' | 'accounts'>, sessionId: string): Promise<string[]> {
  const members = await store.sessions.members(sessionId);
  const accounts = await Promise.all(members.map((m) => store.accounts.byId(m.accountId)));
  return members.filter((m, i) => accounts[i] && can(accounts[i], 'read', m.role)).map((m) => m.accountId);
}
