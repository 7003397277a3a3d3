/**
 * Judging and applying an update cost by its structs, not its bytes. A therapist's raw socket sent
 * one update of 120,000 one-clock placeholders (240 KB) under a new client id: it held the loop
 * 1.5 s, and after the session's end it became 120,000 late-entry labels kept in the note for
 * good, every later opening of it stalling the server for seconds (attack, 3 Dec). Raw updates.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { listedRuns, readState, roundTrip } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';

describe('an update of many one-clock placeholders', async () => {
  const { server, clinic } = await startClinic();
  const endedNote = async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    await expect.poll(async () => (await clinic.a.api.get<{ status: string }>(`/api/sessions/${id}`)).body.status).toBe('ended');
    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    await roundTrip(raw);
    return raw;
  };
  /** Sends `count` placeholders under `client` and reads the note back once the server holds them all. */
  const sendPlaceholders = async (client: number, count: number) => {
    const raw = await endedNote();
    raw.ws.send(updateFrame(listedRuns(client, [Array.from({ length: count }, () => ({ gc: 1 }))])));
    // A big one goes in after it is judged off the loop: read until the note holds it.
    let state = await roundTrip(raw);
    while ((Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state)).get(client) ?? 0) < count) state = await roundTrip(raw);
    return readState(state).notes;
  };

  it('labels the stretch it adds once, not once per placeholder, judged in line', async () => {
    const notes = await sendPlaceholders(7_100_001, 4_000);
    expect(notes.lateEntries.size).toBeLessThanOrEqual(1);
  });

  it('labels the stretch it adds once, not once per placeholder, judged off the loop (by its count of structs, at 60 KB)', async () => {
    const notes = await sendPlaceholders(7_200_001, 30_000);
    expect(notes.lateEntries.size).toBeLessThanOrEqual(1);
  });
});
