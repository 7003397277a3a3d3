import { isLocked } from '../../shared/domain/lifecycle';
import type { SessionStatus } from '../../shared/domain/session';
import type { ServerNotice } from '../../shared/protocol/messageType';
import type { Connection } from './Connection';

/** What a connection may do in its note, told to it as it joins (and why not, when it may not write). */
export function accessNotice(conn: Pick<Connection, 'canWrite' | 'principal'>, status: SessionStatus): ServerNotice {
  const canWrite = conn.canWrite && !isLocked(status);
  const reason = !conn.canWrite
    ? conn.principal.role === 'supervisor' ? 'Supervisors read the note; only its therapists write it.' : 'This note cannot be changed.'
    : 'The note is signed and locked. Add an addendum to add anything.';
  return { type: 'access', canWrite, role: conn.principal.role, ...(canWrite ? {} : { reason }) };
}
