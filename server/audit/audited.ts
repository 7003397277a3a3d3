import type { AtomicWrite, AuditRecord } from '../persistence/ports';

/**
 * A change's audit record as a write of the change's own unit of work (`Store.commit`), so the
 * record and the change are stored together or not at all. Stamped now unless `at` (ms) is given.
 */
export function audited(entry: Omit<AuditRecord, 'at'>, at = Date.now()): Extract<AtomicWrite, { kind: 'audit' }> {
  return { kind: 'audit', entry: { at, ...entry } };
}
