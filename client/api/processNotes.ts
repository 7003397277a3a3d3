import type { ProcessNoteView } from '../../shared/domain/processNote';
import { ApiError, apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}/process-note`;

export type { ProcessNoteView };

/** The session's process notes, or null when there are none this person may see. */
export async function fetchProcessNote(sessionId: string): Promise<ProcessNoteView | null> {
  try {
    return await apiRequest<ProcessNoteView>('GET', base(sessionId));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function createProcessNote(sessionId: string, retainDays: number | null): Promise<ProcessNoteView> {
  return apiRequest('POST', base(sessionId), { retainDays });
}

export function setProcessRetention(sessionId: string, retainDays: number | null): Promise<ProcessNoteView> {
  return apiRequest('PUT', `${base(sessionId)}/retention`, { retainDays });
}

export function shareProcessNote(sessionId: string): Promise<ProcessNoteView> {
  return apiRequest('POST', `${base(sessionId)}/share`);
}

export function removeProcessNote(sessionId: string): Promise<void> {
  return apiRequest('DELETE', base(sessionId));
}
