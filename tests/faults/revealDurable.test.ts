import { describe, expect, it } from 'vitest';
import type { Store } from '../../server/persistence/ports';
import { createClinic, createSession } from '../helpers/api';
import { privateObservationOnALine, storedObservationCount } from '../helpers/blindNote';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { refuseWrites } from '../helpers/refuseWrites';
import { startTestServer } from '../helpers/startTestServer';

/**
 * The reveal's mark and the update that puts the private observations into the note are stored in
 * one transaction. Seen by an attacker: with note writes failing, the mark was stored while the merge
 * waited in memory; after a crash the session said revealed and the observations were in the note
 * nowhere (nor listed as private any more).
 */
describe('the blind reveal stores its merge with its mark', async () => {
  // The live note's own appends of one session can be made to fail, as when the process dies
  // before storing them: what storage then holds is what the reveal's transaction wrote.
  const lost = new Set<string>();
  const dropLiveAppends = (store: Store): Store => ({
    ...store,
    docs: { ...store.docs, append: (docId, entries) => (lost.has(docId) ? Promise.reject(new Error('process died before storing')) : store.docs.append(docId, entries)) },
  });
  const server = await startTestServer({ decorateStore: dropLiveAppends });
  const clinic = await createClinic(server.baseUrl);

  /** A blind session, under way, with one line of the note and A's private observation on it. */
  async function blindWithObservation(): Promise<string> {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true })).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`, {})).status).toBe(200);
    await privateObservationOnALine(server.store, clinic.a, sessionId);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})).status).toBe(202);
    return sessionId;
  }
  const storedObservations = (sessionId: string) => storedObservationCount(server.store, sessionId);

  it('refuses the reveal, changing nothing, while the note cannot be written; reveals once it can', async () => {
    const sessionId = await blindWithObservation();
    const restore = refuseWrites(server.dataDir, ['note']);
    const refused = await clinic.b.api.post(`/api/sessions/${sessionId}/blind/reveal`, {}).finally(restore);
    expect(refused.status).toBe(503);
    expect(await server.store.learning.blindSetting(sessionId)).toMatchObject({ enabled: true, revealedAt: null });
    expect(await server.store.audit.list({ limit: 5, sessionId, actions: ['blind_revealed'] })).toEqual([]);
    expect((await clinic.a.api.get<unknown[]>(`/api/sessions/${sessionId}/blind/observations`)).body).toHaveLength(1);

    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})).body).toMatchObject({ revealed: true });
    expect(await storedObservations(sessionId)).toBe(1);
  });

  it('leaves the observations in the stored note when the live note never stores its copy', async () => {
    const sessionId = await blindWithObservation();
    lost.add(sessionId);
    // Answered while the live note still cannot store its copy: the merge is stored with the mark.
    // It waited for the live note's queue, for as long as its writes failed (operator fault test, 6 Dec).
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})).body).toMatchObject({ revealed: true });
    expect(await server.store.learning.blindSetting(sessionId)).toMatchObject({ revealedAt: expect.any(Number) });
    expect(await storedObservations(sessionId)).toBe(1);
    lost.delete(sessionId);
  });

  it('answers a reveal that merges nothing while a therapist\'s line waits for a full disk; the line is stored after', async () => {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true })).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`, {})).status).toBe(200);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    const restore = refuseWrites(server.dataDir, ['note'], `NEW.doc_id = '${sessionId}'`);
    appendParagraph(a.doc, 'typed while the disk was full');
    await expect.poll(() => a.notices.map((n) => n.type)).toContain('save-failed');
    // No private observation, so the reveal's own unit of work writes nothing to the note's log.
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})).status).toBe(202);
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})).body).toMatchObject({ revealed: true });
    expect(a.isSaved()).toBe(false);
    restore();
    await expect.poll(() => a.isSaved()).toBe(true);
  });
});
