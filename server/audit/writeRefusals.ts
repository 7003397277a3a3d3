import type { WriteGuard, Writer } from '../collab/writeGate';
import type { AuditQueue } from './AuditQueue';

/**
 * Records in the audit log that someone's write into a note was refused (a supervisor writing, a
 * locked note, a mention of a non-member, a record in another's name…): who, which note, and the
 * refusal's code, never the content. Once per connection and code, so a client that keeps sending
 * refused edits cannot flood the log.
 */
export function auditRefusals(guards: WriteGuard[], audit: Pick<AuditQueue, 'record'>): WriteGuard[] {
  const seen = new WeakMap<Writer, Set<string>>();
  return guards.map((guard): WriteGuard => (ctx) => {
    const refusal = guard(ctx);
    if (!refusal) return null;
    const codes = seen.get(ctx.conn) ?? new Set<string>();
    if (!codes.has(refusal.code)) {
      codes.add(refusal.code);
      seen.set(ctx.conn, codes);
      audit.record({ at: Date.now(), actorId: ctx.conn.principal.accountId, action: 'write_refused', sessionId: ctx.note.session.id, detail: { code: refusal.code } });
    }
    return refusal;
  });
}
