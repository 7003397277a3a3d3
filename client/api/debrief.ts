import type { DebriefFieldId, DebriefFieldView, DebriefView } from '../../shared/domain/debrief';
import { apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}/debrief`;

export function fetchDebrief(id: string): Promise<DebriefView> {
  return apiRequest('GET', base(id));
}

/** Each saved field's version (no text): asked often, to fetch the text only when it changed. */
export function fetchDebriefVersions(id: string): Promise<Partial<Record<DebriefFieldId, number>>> {
  return apiRequest('GET', `${base(id)}/versions`, undefined, { background: true });
}

export function saveDebriefField(id: string, field: DebriefFieldId, body: string, baseVersion: number): Promise<DebriefFieldView> {
  return apiRequest('PUT', `${base(id)}/${field}`, { body, baseVersion });
}
