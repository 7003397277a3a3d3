/**
 * What one keeper of a session's process notes asked the other to agree to, before the co-keeper's
 * words may go: removing the notes, or keeping them for less time (attack, 6 Dec: one therapist
 * alone deleted both's notes, or had them removed within the hour by a shorter retention). An ask
 * is its audit record: the newest record of its kind says whether one waits (an answer, or a
 * retention set otherwise, is newer), so the ask and the change are stored in one unit of work
 * without a column of their own.
 */
import type { AuditAction } from '../../shared/domain/audit';
import type { ProcessNoteRecord, Store } from '../persistence/ports';

/** One keeper's ask, waiting for another's agreement; `retainDays` for a shorter retention. */
export interface KeeperAsk {
  by: string;
  at: number;
  retainDays: number | null;
}

/** The asks of each kind, and the records that answer them (the newest decides). */
const KINDS = {
  removal: ['process_note_removal_asked'],
  retention: ['process_note_retention_asked', 'process_note_retention_changed'],
} as const satisfies Record<string, readonly AuditAction[]>;

export type AskKind = keyof typeof KINDS;

/** The ask of `kind` waiting on `note`, or null (none, or answered since). */
export async function waitingAsk(store: Pick<Store, 'audit'>, note: ProcessNoteRecord, kind: AskKind): Promise<KeeperAsk | null> {
  const [newest] = await store.audit.list({ sessionId: note.sessionId, actions: [...KINDS[kind]], limit: 1 });
  if (!newest || !newest.action.endsWith('_asked') || newest.actorId === null) return null;
  const days = newest.detail.retainDays;
  return { by: newest.actorId, at: newest.at, retainDays: typeof days === 'number' ? days : null };
}

/**
 * The keepers of `note` (therapists of its own session) other than `actorId`: whom a step asks
 * first. Also one whose account cannot act now (made an admin, deactivated): their words are in the
 * notes, and an account flipped for a minute let the other destroy them alone. An admin who takes
 * them off the session (with a reason) takes them off the notes too, and then the other decides.
 */
export async function otherKeepers(store: Pick<Store, 'sessions'>, note: ProcessNoteRecord, actorId: string): Promise<string[]> {
  return (await store.sessions.members(note.processSessionId)).filter((m) => m.role === 'therapist' && m.accountId !== actorId).map((m) => m.accountId);
}
