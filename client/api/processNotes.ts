import type { ProcessNoteAnswer, ProcessNoteView } from '../../shared/domain/processNote';
import { apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}/process-note`;

export type { ProcessNoteView };

/** The session's process notes, when they were removed (to its therapists), or null when there are none this person may see. */
export function fetchProcessNote(sessionId: string): Promise<ProcessNoteAnswer> {
  return apiRequest<ProcessNoteAnswer>('GET', base(sessionId));
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

/** Removes them, or (202) asks the co-therapist to agree first. */
export function removeProcessNote(sessionId: string): Promise<ProcessNoteView | void> {
  return apiRequest('DELETE', base(sessionId));
}

/** Takes back the caller's ask to remove them; the notes as they then stand. */
export function withdrawRemovalAsk(sessionId: string): Promise<ProcessNoteView> {
  return apiRequest('DELETE', `${base(sessionId)}/removal-ask`);
}
