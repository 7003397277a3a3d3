import { expect } from 'vitest';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import { createSession, expectStatus, type Clinic } from './api';
import { appendParagraph, connectClient } from './connectClient';

/** A session of A, B and the supervisor (A's), whose process notes A made and B wrote `words` in, stored. */
export async function processNotesWithWords(baseUrl: string, clinic: Clinic, words: string, retainDays: number | null = null): Promise<{ id: string; pid: string }> {
  const id = await createSession(clinic);
  const { processSessionId: pid } = await expectStatus(clinic.a.api.post<ProcessNoteView>(`/api/sessions/${id}/process-note`, { retainDays }), 201, 'process notes');
  const b = connectClient(baseUrl, pid, clinic.b.api.cookie);
  await expect.poll(() => b.provider.synced).toBe(true);
  appendParagraph(b.doc, words);
  await expect.poll(() => b.isSaved()).toBe(true);
  b.destroy();
  return { id, pid };
}

/** What the session's therapists are answered (`GET …/process-note`) once the process notes are removed: that they were, not null. */
export const REMOVED_PROCESS_NOTES = { removedAt: expect.any(String) };
