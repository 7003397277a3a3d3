import { expect } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { ApiClient, createClinic, createSession, type Person } from './api';
import { connectClient } from './connectClient';
import { startServerProcess, tempDir, type ServerProcess } from './startTestServer';

/** A server process with a clinic, one group session, and therapist A connected and synced. */
export async function noteOnServerProcess() {
  const dataDir = tempDir();
  const server = await startServerProcess({ dataDir });
  const clinic = await createClinic(server.baseUrl);
  const sessionId = await createSession(clinic);
  const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
  await expect.poll(() => a.provider.synced).toBe(true);
  return { dataDir, server, clinic, sessionId, a };
}

/** Kills the process with SIGKILL, starts a new one on the same data, and reads the note's review as `person`. */
export async function reviewAfterKill(server: ServerProcess, dataDir: string, sessionId: string, person: Person): Promise<{ review: ReviewView; api: ApiClient; text: string }> {
  await server.kill('SIGKILL');
  const next = await startServerProcess({ dataDir });
  const api = new ApiClient(next.baseUrl);
  expect((await api.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
  const review = (await api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
  return { review, api, text: review.blocks.flatMap((b) => b.runs).map((r) => r.text).join('\n') };
}
