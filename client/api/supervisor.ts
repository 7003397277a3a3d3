import type { AuditAction } from '../../shared/domain/audit';
import type { AuditLogRow } from '../../shared/domain/auditWords';
import type { SessionView } from '../../shared/domain/session';
import type {
  CompetencyView, DyadRef, DyadView, NoticesView, QueueView, SupervisionNoteView, ThreadView,
} from '../../shared/domain/supervisor';
import { apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
/** A query string of the filters that are set. */
export const queryOf = (filters: Record<string, string | undefined>): string => {
  const params = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])));
  const s = params.toString();
  return s ? `?${s}` : '';
};

export interface QueueFilters { therapist?: string; kind?: string; from?: string; to?: string }
export const fetchQueue = (f: QueueFilters): Promise<QueueView> => apiRequest('GET', `/api/queue${queryOf({ ...f })}`);

export interface SessionSearch { q?: string; from?: string; to?: string; status?: string; member?: string }
export const searchSessions = (f: SessionSearch): Promise<SessionView[]> => apiRequest('GET', `/api/sessions${queryOf({ ...f })}`);

export const fetchNotices = (): Promise<NoticesView> => apiRequest('GET', '/api/notices');
export const markNoticesRead = (ids?: string[]): Promise<{ changed: number }> => apiRequest('POST', '/api/notices/read', ids ? { ids } : {});

export const fetchThreads = (sessionId: string): Promise<ThreadView[]> => apiRequest('GET', `${base(sessionId)}/threads`);
export const resolveThread = (sessionId: string, rootId: string, resolved: boolean): Promise<unknown> =>
  apiRequest('POST', `${base(sessionId)}/comments/${encodeURIComponent(rootId)}/resolve`, { resolved });
export const markThreadRead = (sessionId: string, rootId: string): Promise<void> => apiRequest('POST', `${base(sessionId)}/comments/${encodeURIComponent(rootId)}/read`);

export const fetchCompetencies = (): Promise<CompetencyView[]> => apiRequest('GET', '/api/competencies');
export const createCompetency = (body: { name: string; description: string }): Promise<CompetencyView> => apiRequest('POST', '/api/competencies', body);
export const updateCompetency = (id: string, patch: Partial<Pick<CompetencyView, 'name' | 'description' | 'retired'>>): Promise<CompetencyView> =>
  apiRequest('PATCH', `/api/competencies/${encodeURIComponent(id)}`, patch);

export const fetchSupervisionNotes = (sessionId: string): Promise<SupervisionNoteView[]> => apiRequest('GET', `${base(sessionId)}/supervision-notes`);
export const addSupervisionNote = (sessionId: string, body: { body: string; codes: string[]; aboutId: string | null }): Promise<SupervisionNoteView> =>
  apiRequest('POST', `${base(sessionId)}/supervision-notes`, body);

export const fetchDyads = (): Promise<{ pairs: DyadRef[]; therapists: DyadRef[] }> => apiRequest('GET', '/api/dyads');
export const fetchTrend = (ids: string[]): Promise<DyadView> => apiRequest('GET', `/api/dyads/trend?ids=${ids.map(encodeURIComponent).join(',')}`);
export const trendCsvUrl = (ids: string[]): string => `/api/dyads/trend.csv?ids=${ids.map(encodeURIComponent).join(',')}`;

export interface AuditFilters { actorId?: string; sessionId?: string; action?: AuditAction | ''; from?: string; to?: string }
export const fetchAuditLog = (f: AuditFilters & { limit: number }): Promise<{ rows: AuditLogRow[]; timeZone: string }> =>
  apiRequest('GET', `/api/audit/log${queryOf({ ...f, action: f.action || undefined, limit: String(f.limit) })}`);
export const auditCsvUrl = (f: AuditFilters): string => `/api/audit/export.csv${queryOf({ ...f, action: f.action || undefined })}`;
