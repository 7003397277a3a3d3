import type { Store } from '../persistence/ports';

export interface TherapistPair {
  a: { accountId: string; name: string };
  b: { accountId: string; name: string };
}

/**
 * The session's two therapists, A being the one added first (the session's creator), or null
 * with how many it has when that is not two: concordance and the debrief compare a pair.
 */
export async function therapistPair(store: Pick<Store, 'sessions' | 'accounts'>, sessionId: string): Promise<{ pair: TherapistPair | null; count: number }> {
  const therapists = (await store.sessions.members(sessionId)).filter((m) => m.role === 'therapist').sort((x, y) => x.addedAt - y.addedAt);
  if (therapists.length !== 2) return { pair: null, count: therapists.length };
  const person = async (id: string) => ({ accountId: id, name: (await store.accounts.byId(id))?.name ?? 'Former member' });
  return { pair: { a: await person(therapists[0]!.accountId), b: await person(therapists[1]!.accountId) }, count: 2 };
}
