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

/**
 * The asks of each kind, and the records that answer them (the newest decides). A retention set
 * since answers an ask to remove them: the keepers chose how long to keep them (attack, 6 Dec: A
 * asked to remove them, then kept them for a year; the ask still stood, and B's press removed them).
 */
const KINDS = {
  removal: ['process_note_removal_asked', 'process_note_retention_changed'],
  retention: ['process_note_retention_asked', 'process_note_retention_changed'],
  share: ['process_note_share_asked', 'process_note_shared'],
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
 * The keepers who asked for this step (`retainDays` for a retention) since it was last answered: the
 * newest records of `kind`, back to the first that is not this ask (an answer, or a retention asked
 * at another value). It is done once every other keeper is among them (attack, 6 Dec: with three
 * keepers, the second's ask did it, and the third's words went unasked).
 */
export async function askers(store: Pick<Store, 'audit'>, note: ProcessNoteRecord, kind: AskKind, retainDays: number | null = null): Promise<Set<string>> {
  const out = new Set<string>();
  for (let beforeId: number | undefined; ; ) {
    const page = await store.audit.list({ sessionId: note.sessionId, actions: [...KINDS[kind]], limit: 50, beforeId });
    for (const r of page) {
      const days = typeof r.detail.retainDays === 'number' ? r.detail.retainDays : null;
      if (!r.action.endsWith('_asked') || r.actorId === null || days !== retainDays) return out;
      out.add(r.actorId);
    }
    if (page.length < 50) return out;
    beforeId = page[page.length - 1]!.id;
  }
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
