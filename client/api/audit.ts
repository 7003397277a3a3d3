import type { AuditEntryView } from '../../shared/domain/audit';
import { apiRequest } from './http';

/** The most recent audit entries, newest first, optionally for one session (admins only). */
export function fetchAudit(opts: { limit?: number; sessionId?: string } = {}): Promise<AuditEntryView[]> {
  const params = new URLSearchParams({ limit: String(opts.limit ?? 200) });
  if (opts.sessionId) params.set('sessionId', opts.sessionId);
  return apiRequest<AuditEntryView[]>('GET', `/api/audit?${params.toString()}`);
}
