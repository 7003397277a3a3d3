/**
 * An update lists each writer's structs in runs, one per Yjs client id. `Y.applyUpdate` keeps only
 * the last run of a client; `Y.decodeUpdate`, which the gate reads, yields them all. A therapist's
 * raw socket listed her client twice (placeholders first, values second) and the gate judged the
 * placeholders while Yjs applied the values: observations, answers and risk records in the
 * co-therapist's name, and another such frame threw past every handler and ended the process
 * (attack, 3 Dec). Raw updates, not the UI.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { OBSERVATIONS, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createSession, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph } from '../helpers/connectClient';
import { craftFrom, listedRuns, observation, roundTrip, updateOf, type HandStruct } from '../helpers/craft';
import { healthOf } from '../helpers/health';
import { openRaw, updateFrame } from '../helpers/rawSocket';

describe('an update that lists a writer’s changes in more than one run', async () => {
  const { server, clinic } = await startClinic();
  const open = (id: string, who: Person) => openRaw(server.baseUrl, id, { cookie: who.api.cookie!, origin: server.baseUrl });
  /** The note's observations as the server holds them, read by a connection of `who`'s own. */
  const heldObservations = async (id: string, who: Person) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await roundTrip(await open(id, who)));
    return sessionDoc(doc).observations;
  };
  /** A fresh observation under its key: a deleted placeholder at clock 0, the value after it. */
  const valueRun = (client: number, value: { id: string }): HandStruct[] => [{ map: OBSERVATIONS, key: value.id, deleted: 1 }, { after: [client, 0], value }];

  it('is refused whole, whatever the runs hold: no observation in the co-therapist’s name', async () => {
    const id = await createSession(clinic);
    const b = await open(id, clinic.b);
    await roundTrip(b);
    const client = 4_100_001;
    const forged = observation({ authorId: clinic.a.id, forCoTherapist: true });
    b.ws.send(updateFrame(listedRuns(client, [[{ gc: 1 }, { gc: 1 }], valueRun(client, forged)])));
    expect((await b.closed).code).toBe(CloseCode.BadMessage);
    expect((await heldObservations(id, clinic.a)).has(forged.id)).toBe(false);

    // The same values as one run, as Yjs writes them, are judged as usual: refused in A's name, taken in B's.
    const again = await open(id, clinic.b);
    await roundTrip(again);
    again.ws.send(updateFrame(listedRuns(client + 1, [valueRun(client + 1, forged)])));
    const own = observation({ authorId: clinic.b.id });
    again.ws.send(updateFrame(listedRuns(client + 2, [valueRun(client + 2, own)])));
    const held = await heldObservations(id, clinic.a);
    expect([held.has(forged.id), held.get(own.id)?.authorId]).toEqual([false, clinic.b.id]);
    expect(again.notices.filter((n) => n.type === 'refused')).toMatchObject([{ code: 'wrong_author' }]);
  });

  it('is refused when its last run is empty (Yjs would drop the run before it)', async () => {
    const id = await createSession(clinic);
    const b = await open(id, clinic.b);
    await roundTrip(b);
    const own = observation({ authorId: clinic.b.id });
    b.ws.send(updateFrame(listedRuns(4_200_001, [valueRun(4_200_001, own), []])));
    expect((await b.closed).code).toBe(CloseCode.BadMessage);
    expect((await heldObservations(id, clinic.a)).has(own.id)).toBe(false);
  });

  it('cannot end the process: after a frame of placeholders and a deleted value, the server answers and the note takes edits', async () => {
    const id = await createSession(clinic);
    const outsider = await open(id, clinic.b);
    await roundTrip(outsider);
    const placeholders: HandStruct[] = Array.from({ length: 20 }, () => ({ gc: 1 }));
    outsider.ws.send(updateFrame(listedRuns(4_300_001, [placeholders, [{ map: OBSERVATIONS, key: 'x', deleted: 1 }]])));
    expect((await outsider.closed).code).toBe(CloseCode.BadMessage);
    expect((await healthOf(server.baseUrl)).status).toBe(200);

    const a = await open(id, clinic.a);
    const doc = craftFrom(await roundTrip(a));
    a.ws.send(updateFrame(updateOf(doc, () => appendParagraph(doc, 'still taking edits'))));
    const after = new Y.Doc();
    Y.applyUpdate(after, await roundTrip(await open(id, clinic.b)));
    expect(JSON.stringify(sessionDoc(after).note.toJSON())).toContain('still taking edits');
  });
});
