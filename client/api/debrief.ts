import type { DebriefFieldId, DebriefFieldView, DebriefView } from '../../shared/domain/debrief';
import { apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}/debrief`;

/** `background`: the page asks by itself (the co-therapist's save seen by the poll), which is not use of the login (http.ts). */
export function fetchDebrief(id: string, background = false): Promise<DebriefView> {
  return apiRequest('GET', base(id), undefined, { background });
}

/** Each saved field's version (no text): asked often, to fetch the text only when it changed. */
export function fetchDebriefVersions(id: string): Promise<Partial<Record<DebriefFieldId, number>>> {
  return apiRequest('GET', `${base(id)}/versions`, undefined, { background: true });
}

export function saveDebriefField(id: string, field: DebriefFieldId, body: string, baseVersion: number): Promise<DebriefFieldView> {
  return apiRequest('PUT', `${base(id)}/${field}`, { body, baseVersion });
}
