import type { ServiceDeps } from './deps';
import { conflict } from '../domain/errors';
import { noteWriters } from './membership';

type Deps = Pick<ServiceDeps, 'store' | 'collab'>;

/**
 * The accounts that wrote in the session's note and are no longer its members, without an admin
 * having taken them off (an admin may, giving a reason: membership.ts). A therapist cannot remove
 * a co-author, but the removal reads who has written at one moment: a co-author's first words
 * taken in by another process in the milliseconds the check and the revocation take are stored
 * after it (attack, 4 Dec: 3–10 paragraphs of a removed co-author in the note). Signing is where
 * it matters, so it asks here, after the store holds everything of the note.
 */
export async function removedAuthors(deps: Deps, sessionId: string): Promise<string[]> {
  const [writers, members] = await Promise.all([noteWriters(deps, sessionId), deps.store.sessions.members(sessionId)]);
  const gone = [...writers].filter((a) => !members.some((m) => m.accountId === a));
  if (gone.length === 0) return [];
  const removals = await deps.store.audit.list({ sessionId, actions: ['member_removed'], limit: 10_000 });
  // Newest first: the removal that counts is each account's latest. One that followed another
  // session's (a member note following its group session) says `override` when an admin's did
  // (followingMembers.ts); counting every such removal as sanctioned let a co-author's words in
  // flight on another process through (attack, 4 Dec).
  const byAdmin = (accountId: string) => removals.find((r) => r.detail.accountId === accountId)?.detail.override === true;
  return gone.filter((a) => !byAdmin(a));
}

/**
 * Throws 409 `author_removed` naming who wrote in the note and was removed from the session, so
 * nobody signs alone over a co-author's words.
 */
export async function assertNoRemovedAuthor(deps: Deps, sessionId: string): Promise<void> {
  const gone = await removedAuthors(deps, sessionId);
  if (gone.length === 0) return;
  const names = await Promise.all(gone.map(async (id) => (await deps.store.accounts.byId(id))?.name ?? 'A former member'));
  const who = gone.length === 1 ? `${names[0]} wrote in this note and was` : `${names.join(' and ')} wrote in this note and were`;
  throw conflict(
    'author_removed',
    `${who} removed from the session; it is not signed without them. Add them back as a therapist, or ask an admin to remove them, giving a reason.`,
  );
}
