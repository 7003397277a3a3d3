import type { SessionEventRecord, SessionRecord, Store } from '../persistence/ports';
import { awaitedSigners } from './memberGrants';
import { recordChangedAt } from './recordChanges';
import { currentRound } from './signatureRound';

/**
 * Whom an open note waits for: the sign rule's count (signSession, services/lifecycle.ts, signs with it):
 * `awaited`, the therapists who may sign now; `missing`, those of them without a signature in this
 * round since the attendance or labels last changed (`counted`, those signatures). The queue counted every signature of the round,
 * so it showed a therapist as signed whose signature the sign rule no longer took. An empty
 * `missing` on a note still open means every signature is there and the note locks only when one of
 * `awaited` presses Sign again (a co-therapist was made an admin, or deactivated, after they
 * signed): a note never locks without someone's deliberate act.
 */
export async function signingState(store: Pick<Store, 'accounts' | 'sessions' | 'events' | 'audit'>, session: Pick<SessionRecord, 'id'>): Promise<{ awaited: string[]; missing: string[]; counted: SessionEventRecord[] }> {
  const [members, events, changedAt] = await Promise.all([store.sessions.members(session.id), store.events.list(session.id), recordChangedAt(store, session.id)]);
  const awaited = await awaitedSigners(store, members);
  const counted = currentRound(events).filter((e) => e.at > changedAt);
  return { awaited, missing: awaited.filter((t) => !counted.some((e) => e.actorId === t)), counted };
}
