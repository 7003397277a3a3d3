/**
 * What one member may add to a note is bounded where an honest clinician never comes near:
 * observations per therapist (each is compared with each of the co-therapist's in the
 * concordance: 3,000 each took 11 s and 1 GB) and Yjs client ids per account (one member wrote a
 * letter under each of 11,000 new ids, every one a run in every review) and what one account
 * writes into one note (a member grew a note to 32 MB in four updates). All were taken without end
 * (attack, 2 Dec). Raw updates, not the UI.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { MAX_ITEMS_PER_ACCOUNT, MAX_OBSERVATIONS_PER_AUTHOR, MAX_WRITER_IDS_PER_ACCOUNT, MAX_WRITTEN_PER_ACCOUNT } from '../../server/collab/writerLimits';
import { createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph } from '../helpers/connectClient';
import { craftFrom, observation, roundTrip, updateOf } from '../helpers/craft';
import { findText } from '../helpers/noteOps';
import { openRaw, updateFrame, type RawSocket } from '../helpers/rawSocket';

describe('how much one member may add to a note', async () => {
  const { server, clinic } = await startClinic();

  const open = (id: string, who: Person) => openRaw(server.baseUrl, id, { cookie: who.api.cookie!, origin: server.baseUrl });
  const refusals = (raw: RawSocket) => raw.notices.filter((n) => n.type === 'refused');
  /** The note as the server holds it, after everything `raw` sent was judged. */
  const held = async (raw: RawSocket) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await roundTrip(raw));
    return doc;
  };

  it(`takes ${MAX_OBSERVATIONS_PER_AUTHOR} observations of one therapist, refuses one more, and still takes the co-therapist's`, async () => {
    const id = await createSession(clinic);
    const a = await open(id, clinic.a);
    const doc = craftFrom(await roundTrip(a));
    const observe = (from: Y.Doc, by: Person, n: number) => updateOf(from, () => {
      for (let i = 0; i < n; i++) {
        const o = observation({ authorId: by.id });
        sessionDoc(from).observations.set(o.id, o);
      }
    });
    for (let i = 0; i < MAX_OBSERVATIONS_PER_AUTHOR; i += 250) a.ws.send(updateFrame(observe(doc, clinic.a, 250)));
    expect(sessionDoc(await held(a)).observations.size).toBe(MAX_OBSERVATIONS_PER_AUTHOR);
    expect(refusals(a)).toEqual([]);

    a.ws.send(updateFrame(observe(doc, clinic.a, 1)));
    expect(sessionDoc(await held(a)).observations.size).toBe(MAX_OBSERVATIONS_PER_AUTHOR);
    expect(refusals(a)).toMatchObject([{ code: 'too_many_observations' }]);

    const b = await open(id, clinic.b);
    const theirs = craftFrom(await roundTrip(b));
    b.ws.send(updateFrame(observe(theirs, clinic.b, 1)));
    expect(sessionDoc(await held(b)).observations.size).toBe(MAX_OBSERVATIONS_PER_AUTHOR + 1);
    expect(refusals(b)).toEqual([]);
  }, 120_000);

  it(`takes words under ${MAX_WRITER_IDS_PER_ACCOUNT} client ids of one account, and refuses a new one`, async () => {
    const id = await createSession(clinic);
    const a = await open(id, clinic.a);
    const state = await roundTrip(a);
    const paragraphs = (from: number, n: number) => Array.from({ length: n }, (_, i) => {
      const doc = craftFrom(state, from + i);
      return updateOf(doc, () => appendParagraph(doc, 'x'));
    });
    for (let i = 0; i < MAX_WRITER_IDS_PER_ACCOUNT; i += 100) a.ws.send(updateFrame(Y.mergeUpdates(paragraphs(7_000_000 + i, 100))));
    const writers = (doc: Y.Doc) => new Set(Array.from(Y.decodeStateVector(Y.encodeStateVector(doc)).keys()).filter((c) => c >= 7_000_000 && c < 9_000_000));
    expect(writers(await held(a)).size).toBe(MAX_WRITER_IDS_PER_ACCOUNT);
    expect(refusals(a)).toEqual([]);

    a.ws.send(updateFrame(paragraphs(8_000_000, 1)[0]!));
    expect(writers(await held(a)).size).toBe(MAX_WRITER_IDS_PER_ACCOUNT);
    expect(refusals(a)).toMatchObject([{ code: 'too_many_devices' }]);

    // Words under an id already in use are still taken.
    const again = craftFrom(await roundTrip(a), 7_000_000);
    a.ws.send(updateFrame(updateOf(again, () => appendParagraph(again, 'still mine'))));
    expect(JSON.stringify(sessionDoc(await held(a)).note.toJSON())).toContain('still mine');
    expect(refusals(a)).toHaveLength(1);
  }, 120_000);

  it(`takes ${MAX_WRITTEN_PER_ACCOUNT} characters of one account in a note, from two devices and deleted ones included, and refuses more; the co-therapist still writes`, async () => {
    const id = await createSession(clinic);
    const a = await open(id, clinic.a);
    const text = (doc: Y.Doc) => JSON.stringify(sessionDoc(doc).note.toJSON());
    /** A's paragraph of `n` letters `letter`, written from the device with Yjs client id `client`. */
    const paste = async (client: number, letter: string, n: number) => {
      const doc = craftFrom(await roundTrip(a), client);
      return updateOf(doc, () => appendParagraph(doc, letter.repeat(n)));
    };
    // Updates this big are judged off the event loop: a round trip may come back before that ends.
    const holds = async (raw: RawSocket, part: string) => text(await held(raw)).includes(part);
    a.ws.send(updateFrame(await paste(5_000_001, 'a', 4_000_000)));
    await expect.poll(() => holds(a, 'a'.repeat(4_000_000)), { timeout: 60_000 }).toBe(true);
    a.ws.send(updateFrame(await paste(5_000_002, 'b', 4_000_000)));
    await expect.poll(() => holds(a, 'b'.repeat(4_000_000)), { timeout: 60_000 }).toBe(true);
    // A deletes her second paste: it stays in the note's history, and so in her count.
    const second = craftFrom(await roundTrip(a), 5_000_002);
    a.ws.send(updateFrame(updateOf(second, () => sessionDoc(second).note.delete(sessionDoc(second).note.length - 1, 1))));
    expect(text(await held(a))).not.toContain('bbbb');
    expect(refusals(a)).toEqual([]);

    a.ws.send(updateFrame(await paste(5_000_003, 'c', 600_000)));
    await expect.poll(() => refusals(a), { timeout: 60_000 }).toMatchObject([{ code: 'note_full' }]);
    expect(text(await held(a))).not.toContain('cccc');
    // What still fits is taken.
    a.ws.send(updateFrame(await paste(5_000_001, 'd', 1_000)));
    expect(text(await held(a))).toContain('d'.repeat(1_000));
    expect(refusals(a)).toHaveLength(1);

    const b = await open(id, clinic.b);
    const theirs = craftFrom(await roundTrip(b));
    b.ws.send(updateFrame(updateOf(theirs, () => appendParagraph(theirs, 'e'.repeat(600_000)))));
    await expect.poll(() => holds(b, 'e'.repeat(600_000)), { timeout: 60_000 }).toBe(true);
    expect(refusals(b)).toEqual([]);
  }, 180_000);

  // Attack, 6 Dec (h4): 400,000 one-letter items a 3 MB frame, each written before the last so that
  // Yjs merges none, held the process at 4–6 GB after 57 MB, and a health check waited 33.8 s.
  it(`takes ${MAX_ITEMS_PER_ACCOUNT} items of one account in a note and refuses more; the co-therapist still writes`, async () => {
    const id = await createSession(clinic);
    const a = await open(id, clinic.a);
    /** A paragraph of `n` letters from the device with Yjs client id `client`, each typed before the last. */
    const backwards = async (client: number, n: number) => {
      const doc = craftFrom(await roundTrip(a), client);
      return updateOf(doc, () => {
        appendParagraph(doc, '');
        const line = (sessionDoc(doc).note.get(sessionDoc(doc).note.length - 1) as Y.XmlElement).get(0) as Y.XmlText;
        for (let i = 0; i < n; i++) line.insert(0, 'z');
      });
    };
    const letters = async (raw: RawSocket) => (JSON.stringify(sessionDoc(await held(raw)).note.toJSON()).match(/z/g) ?? []).length;
    const first = MAX_ITEMS_PER_ACCOUNT - 1_000;
    a.ws.send(updateFrame(await backwards(6_000_001, first)));
    // Judged off the event loop: a round trip may come back before that ends.
    await expect.poll(() => letters(a), { timeout: 60_000 }).toBe(first);
    a.ws.send(updateFrame(await backwards(6_000_002, 2_000)));
    await expect.poll(() => refusals(a), { timeout: 60_000 }).toMatchObject([{ code: 'note_full' }]);
    expect(await letters(a)).toBe(first);
    // One line typed in one go is one item: it still fits.
    const more = craftFrom(await roundTrip(a), 6_000_001);
    a.ws.send(updateFrame(updateOf(more, () => appendParagraph(more, 'Still fits.'))));
    expect(JSON.stringify(sessionDoc(await held(a)).note.toJSON())).toContain('Still fits.');
    expect(refusals(a)).toHaveLength(1);
    const b = await open(id, clinic.b);
    const theirs = craftFrom(await roundTrip(b));
    b.ws.send(updateFrame(updateOf(theirs, () => { for (let i = 0; i < 2_000; i++) appendParagraph(theirs, 'y'); })));
    await expect.poll(async () => (JSON.stringify(sessionDoc(await held(b)).note.toJSON()).match(/y/g) ?? []).length, { timeout: 60_000 }).toBe(2_000);
    expect(refusals(b)).toEqual([]);
  }, 180_000);

  // attack, 6 Dec: deleting every other letter of a 1,000,000-letter paragraph of his own in three
  // 200 KB frames, a member held every note on the process for 11–35 s (Yjs splices a client's
  // whole list of items at each split and merge). What the update would make Yjs do is judged.
  it('refuses deletions scattered over too many places at once, and takes scattered ones in smaller steps and a whole deletion', async () => {
    const id = await createSession(clinic);
    const b = await open(id, clinic.b);
    const writer = 6_000_001;
    const doc = craftFrom(await roundTrip(b), writer);
    b.ws.send(updateFrame(updateOf(doc, () => appendParagraph(doc, 'x'.repeat(200_000)))));
    const letters = async () => (JSON.stringify(sessionDoc(await held(b)).note.toJSON()).match(/x+/g) ?? []).join('').length;
    await expect.poll(letters, { timeout: 60_000 }).toBe(200_000);
    const item = doc.store.clients.get(writer)!.find((s) => s instanceof Y.Item && s.content instanceof Y.ContentString)!;
    /** A deletion alone, of the paragraph's letters in `ranges` ([offset, length]; written by hand: Yjs itself would take as long to make it). */
    const deleting = (ranges: [number, number][]) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, writer);
      encoding.writeVarUint(e, ranges.length);
      for (const [offset, len] of ranges) (encoding.writeVarUint(e, item.id.clock + offset), encoding.writeVarUint(e, len));
      return encoding.toUint8Array(e);
    };
    const everyOther = (from: number, n: number) => Array.from({ length: n }, (_, i): [number, number] => [from + 2 * i, 1]);

    b.ws.send(updateFrame(deleting(everyOther(1, 100_000))));
    await expect.poll(() => refusals(b), { timeout: 60_000 }).toMatchObject([{ code: 'too_scattered' }]);
    expect(await letters()).toBe(200_000);

    // A hundred places at once is editing: taken.
    b.ws.send(updateFrame(deleting(everyOther(1, 100))));
    expect(await letters()).toBe(199_900);
    // And so is deleting the whole paragraph's words, cut into pieces by those deletions.
    b.ws.send(updateFrame(deleting([...everyOther(0, 100), [200, 199_800]])));
    expect(await letters()).toBe(0);
    expect(refusals(b)).toHaveLength(1);
  }, 120_000);

  it(`takes ${MAX_OBSERVATIONS_PER_AUTHOR} private observations of one therapist in a blind session, and refuses more, sent at once too`, async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: true }), 200, 'blind on');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const typed = new Y.Doc();
    appendParagraph(typed, 'went quiet when his brother spoke');
    await server.store.docs.append(id, [{ at: Date.now(), accountId: clinic.a.id, data: Y.encodeStateAsUpdate(typed) }]);
    const { text, index } = findText(typed, 'went quiet');
    const at = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, -1))).toString('base64');
    const body = { tags: ['affect'], member: null, forCoTherapist: false, anchor: { kind: 'line', at } };
    for (let i = 1; i < MAX_OBSERVATIONS_PER_AUTHOR; i++) {
      const o = observation({ authorId: clinic.a.id });
      await server.store.learning.addBlindObservation({ id: o.id, sessionId: id, authorId: o.authorId, record: JSON.stringify(o), anchor: JSON.stringify(body.anchor), receivedAt: Date.now(), offsetMs: null, late: false }, MAX_OBSERVATIONS_PER_AUTHOR);
    }
    // Six at once for the last place (within the readings one account may have under way): each
    // passed a count taken before any was stored (attack, 2 Dec).
    const posted = await Promise.all(Array.from({ length: 6 }, () => clinic.a.api.post<{ error?: { code: string } }>(`/api/sessions/${id}/blind/observations`, body)));
    expect(posted.map((r) => r.status).sort()).toEqual([201, ...Array<number>(5).fill(409)]);
    expect(posted.find((r) => r.status === 409)?.body.error?.code).toBe('too_many_observations');
    expect(await server.store.learning.blindObservations(id, clinic.a.id)).toHaveLength(MAX_OBSERVATIONS_PER_AUTHOR);
  }, 120_000);
});
