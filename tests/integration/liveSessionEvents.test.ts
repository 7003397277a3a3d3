import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../shared/domain/supervisor';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

/** The co-therapist's pages hear of changes to the session's record made by the other (attendance, an addendum). */
describe('live session events', async () => {
  const { server, clinic } = await startClinic();

  /** B's event stream: every event it has received so far. */
  function streamOf(cookie: string): { events: LiveEvent[]; close(): void } {
    const events: LiveEvent[] = [];
    const req = http.get(`${server.baseUrl}/api/events`, { headers: { cookie, origin: server.baseUrl } }, (res) => {
      let buffered = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const frames = buffered.split('\n\n');
        buffered = frames.pop() ?? '';
        for (const f of frames) if (f.startsWith('data: ')) events.push(JSON.parse(f.slice(6)) as LiveEvent);
      });
    });
    req.on('error', () => undefined);
    return { events, close: () => req.destroy() };
  }

  it('tells the co-therapist’s open pages when attendance changes', async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    const stream = streamOf(clinic.b.api.cookie!);
    try {
      // The stream is open once the server counts it (its first bytes may come later).
      await expect.poll(async () => {
        await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'late' } }), 200, 'attendance');
        return stream.events.some((e) => e.type === 'session' && e.sessionId === id);
      }).toBe(true);
    } finally {
      stream.close();
    }
  });

  // A clinician walk, 1 Dec: the co-therapist's open page listed a new addendum only after a reload.
  it('tells the co-therapist’s open pages when an addendum is added to the signed note', async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/sign`), 200, 'sign A');
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/sign`), 200, 'sign B');
    const stream = streamOf(clinic.b.api.cookie!);
    try {
      // Wait until the stream is counted (a first addendum may be told to nobody), then one more.
      await expect.poll(async () => {
        await expectStatus(clinic.a.api.post(`/api/sessions/${id}/addenda`, { text: 'Called M2 on Thursday as planned.' }), 201, 'addendum');
        return stream.events.filter((e) => e.type === 'session' && e.sessionId === id).length;
      }).toBeGreaterThan(0);
    } finally {
      stream.close();
    }
  });
});
