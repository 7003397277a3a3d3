import { mayHold } from '../services/memberGrants';
import type { Store } from '../persistence/ports';

/** One person a blind session's reveal names: by account id and name. */
export interface RevealPerson {
  accountId: string;
  name: string;
}

/** Whom a press of Reveal still waits for, and whom it does not wait for because their account cannot press it. */
export interface RevealConsent {
  waitingFor: RevealPerson[];
  /** Therapists or authors without a press whose account was made an admin or deactivated. */
  notWaitedFor: RevealPerson[];
  /** Authors without a press who are no therapist of the session now (an admin took them off it). */
  takenOff: RevealPerson[];
}

/**
 * Whose press of Reveal a blind session's reveal waits for: every therapist of it now, and everyone
 * who kept observations private in it (a therapist added or removed meanwhile can neither hurry nor
 * skip someone's consent), who has not pressed yet and whose account may still take part. A
 * therapist made an admin, or deactivated, cannot press it, so waiting for them held the pair's
 * observations private until the session's end (walk, 6 Dec); they are named instead, as signing
 * names those it no longer waits for (services/memberGrants.ts, awaitedSigners). Nor for an author an
 * admin took off the session: their press answers 403, and A was told to wait for them (attack, 6 Dec).
 */
export async function revealConsent(store: Pick<Store, 'sessions' | 'learning' | 'accounts'>, sessionId: string): Promise<RevealConsent> {
  const [members, observations, requests] = await Promise.all([
    store.sessions.members(sessionId), store.learning.blindObservations(sessionId), store.learning.revealRequests(sessionId),
  ]);
  const pressed = new Set(requests.map((q) => q.accountId));
  const therapists = new Set(members.filter((m) => m.role === 'therapist').map((m) => m.accountId));
  const asked = new Set([...therapists, ...observations.map((o) => o.authorId)]);
  const unpressed = [...asked].filter((id) => !pressed.has(id));
  // Only the few accounts still asked: a press read every account of the clinic (final read, 6 Dec).
  const byId = new Map((await Promise.all(unpressed.map((id) => store.accounts.byId(id)))).flatMap((a) => (a ? [[a.id, a] as const] : [])));
  const person = (accountId: string): RevealPerson => ({ accountId, name: byId.get(accountId)?.name ?? 'Former member' });
  const mayPress = unpressed.filter((id) => mayHold(byId.get(id), 'therapist'));
  return {
    waitingFor: mayPress.filter((id) => therapists.has(id)).map(person),
    notWaitedFor: unpressed.filter((id) => !mayHold(byId.get(id), 'therapist')).map(person),
    takenOff: mayPress.filter((id) => !therapists.has(id)).map(person),
  };
}

/** The sentence a press that waits answers with: whom it waits for, and whom it does not wait for and why. */
export function waitingMessage({ waitingFor, notWaitedFor, takenOff }: RevealConsent): string {
  const names = (people: RevealPerson[]) => people.map((p) => p.name).join(' and ');
  const passed = (people: RevealPerson[], why: string) => (people.length === 0 ? '' : ` It does not wait for ${names(people)}: ${why}, so they cannot press it.`);
  const why = passed(notWaitedFor, 'their account was made an admin or deactivated') + passed(takenOff, 'they were taken off the session');
  return `Waiting for ${names(waitingFor)} to press Reveal too (or for the session to end); until then your observations stay private.${why}`;
}
