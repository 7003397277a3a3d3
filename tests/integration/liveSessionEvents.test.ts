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

  /** How often `stream` was told of a change to the session. */
  const toldOf = (stream: { events: LiveEvent[] }, sessionId: string) => stream.events.filter((e) => e.type === 'session' && e.sessionId === sessionId).length;

  /** Waits until the server counts `stream`: it hears of another session's change (`warmUp`'s attendance saved again). */
  async function counted(stream: { events: LiveEvent[] }, warmUp: string): Promise<void> {
    await expect.poll(async () => {
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${warmUp}/attendance`, { attendance: {} }), 200, 'attendance');
      return toldOf(stream, warmUp);
    }).toBeGreaterThan(0);
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

  // A clinician walk, 5 Dec: the co-therapist's page went on offering a label removed 20 s before.
  it('tells the co-therapist’s open pages when the group members change, and not for a save that changes nothing', async () => {
    const [id, warmUp] = [await createSession(clinic), await createSession(clinic)];
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'JD'] }), 200, 'labels');
    const stream = streamOf(clinic.b.api.cookie!);
    const told = (sessionId: string) => toldOf(stream, sessionId);
    try {
      await counted(stream, warmUp);
      const warmedUp = told(warmUp);
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'JD'] }), 200, 'same labels');
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'JD removed');
      // Told in order: once the stream has the next change of the other session, it has all of these.
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${warmUp}/attendance`, { attendance: {} }), 200, 'attendance');
      await expect.poll(() => told(warmUp)).toBeGreaterThan(warmedUp);
      expect(told(id)).toBe(1);
    } finally {
      stream.close();
    }
  });

  // A clinician walk, 3 Dec: the co-therapist's page read the member notes when it saw the end,
  // before they were made, and showed them 4 s late.
  it('tells the co-therapist’s open pages once the member notes are made at the end', async () => {
    const [id, warmUp] = [await createSession(clinic), await createSession(clinic)];
    for (const s of [id, warmUp]) await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${s}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const stream = streamOf(clinic.b.api.cookie!);
    const told = (sessionId: string) => stream.events.some((e) => e.type === 'session' && e.sessionId === sessionId);
    try {
      // The stream is counted once it hears of another session's change; of this one it has heard nothing.
      await expect.poll(async () => {
        await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${warmUp}/attendance`, { attendance: { M2: 'late' } }), 200, 'attendance');
        return told(warmUp);
      }).toBe(true);
      expect(told(id)).toBe(false);
      const ended = await expectStatus(clinic.a.api.post<{ memberNotesMade?: boolean }>(`/api/sessions/${id}/end`), 200, 'end');
      expect(ended.memberNotesMade).toBe(true);
      await expect.poll(() => told(id)).toBe(true);
      const { members } = await expectStatus(clinic.b.api.get<{ members: { member: string; noteSessionId: string | null }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
      expect(members.map((m) => [m.member, m.noteSessionId !== null])).toEqual([['M1', true], ['M2', true]]);
    } finally {
      stream.close();
    }
  });

  // A clinician walk, 6 Dec: the home page lists the sessions live now; the co-therapist's, open
  // before the other therapist started the session, went on not listing it (nor took it off at the end).
  it('tells the co-therapist’s open pages when the session starts and when it ends', async () => {
    const [id, warmUp] = [await createSession(clinic, 'individual'), await createSession(clinic)];
    const stream = streamOf(clinic.b.api.cookie!);
    const told = (sessionId: string) => toldOf(stream, sessionId);
    try {
      await counted(stream, warmUp);
      expect(told(id)).toBe(0);
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
      await expect.poll(() => told(id)).toBe(1);
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
      await expect.poll(() => told(id)).toBe(2);
    } finally {
      stream.close();
    }
  });

  // A clinician walk, 6 Dec: A's ask to remove the process notes reached B's open page only at a
  // reload, and once B agreed (removed), A's page went on saying it waited for B.
  // Only theirs: the session's supervisor, not shared with, is not told when the pair works on them.
  it('tells the keepers’ open pages of each ask and answer about their process notes, and nobody else’s', async () => {
    const [id, warmUp] = [await createSession(clinic, 'individual'), await createSession(clinic)];
    const streams = { a: streamOf(clinic.a.api.cookie!), b: streamOf(clinic.b.api.cookie!), supervisor: streamOf(clinic.supervisor.api.cookie!) };
    try {
      for (const stream of Object.values(streams)) await counted(stream, warmUp);
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/process-note`, {}), 201, 'start them');
      await expect.poll(() => toldOf(streams.b, id)).toBe(1);
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/process-note/retention`, { retainDays: 30 }), 200, 'ask 30 days');
      await expect.poll(() => toldOf(streams.b, id)).toBe(2);
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/process-note/share`, {}), 200, 'ask to share');
      await expect.poll(() => toldOf(streams.b, id)).toBe(3);
      await expectStatus(clinic.a.api.request('DELETE', `/api/sessions/${id}/process-note`), 202, 'ask to remove');
      await expect.poll(() => toldOf(streams.b, id)).toBe(4);
      const toldA = toldOf(streams.a, id);
      await expectStatus(clinic.b.api.request('DELETE', `/api/sessions/${id}/process-note`), 204, 'agree to remove');
      await expect.poll(() => toldOf(streams.a, id)).toBe(toldA + 1);
      // Told of a change of the session itself, in order after the steps above (one stream, one process).
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
      await expect.poll(() => toldOf(streams.supervisor, id)).toBe(1);
    } finally {
      for (const stream of Object.values(streams)) stream.close();
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
