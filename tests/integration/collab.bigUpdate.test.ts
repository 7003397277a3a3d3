import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { OFF_LOOP_BYTES } from '../../server/collab/bigUpdate';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient, serverText } from '../helpers/connectClient';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startTestServer } from '../helpers/startTestServer';
import { storedText } from '../helpers/storedNote';

/** About `bytes` of pasted paragraphs appended to the note `doc` holds, as one update. */
function paste(doc: Y.Doc, bytes: number, tag: string, last?: Y.XmlElement): Uint8Array {
  return updateOf(doc, () => {
    const note = doc.getXmlFragment(NOTE_FIELD);
    const paragraphs = Array.from({ length: Math.ceil(bytes / 200) }, (_, i) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`${tag} ${i} `.padEnd(200, 'pasted text '))]);
      return p;
    });
    note.push(last ? [...paragraphs, last] : paragraphs);
  });
}

const FOUR_MB = 4 * 1024 * 1024;
/** Building, sending and storing 4 MB takes seconds on a loaded machine; these wait, they do not time. */
const TEST_TIMEOUT_MS = 180_000;

describe('a big update (a long paste sent in one frame)', async () => {
  const server = await startTestServer();
  const clinic = await createClinic(server.baseUrl);

  it('is judged whole: one forbidden element at its end refuses all of it, and nothing of it is stored', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'before the paste');
    await expect.poll(() => a.isSaved()).toBe(true);
    const before = a.text();
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const b = craftFrom(await roundTrip(raw));
    const update = paste(b, FOUR_MB, 'forbidden', new Y.XmlElement('script'));
    expect(update.byteLength).toBeGreaterThan(OFF_LOOP_BYTES);

    raw.ws.send(updateFrame(update));
    await expect.poll(() => raw.notices.filter((n) => n.type === 'refused'), { timeout: 60_000 }).toMatchObject([{ code: 'invalid_content' }]);
    // Whatever the server took in after the update (sync step 2 below) is what it holds.
    await roundTrip(raw);
    expect(await serverText(server.baseUrl, sessionId, clinic.supervisor.api.cookie)).toBe(before);
    expect(await storedText({ dataDir: server.dataDir }, sessionId)).toBe(before);
  }, TEST_TIMEOUT_MS);

  it('is taken in whole, in order with the sender’s next edit, while another note is edited and stays apart', async () => {
    const [pasted, other] = [await createSession(clinic), await createSession(clinic)];
    const a = connectClient(server.baseUrl, pasted, clinic.a.api.cookie);
    const reader = connectClient(server.baseUrl, pasted, clinic.b.api.cookie);
    const typist = connectClient(server.baseUrl, other, clinic.a.api.cookie);
    const otherReader = connectClient(server.baseUrl, other, clinic.b.api.cookie);
    await expect.poll(() => [a, reader, typist, otherReader].every((c) => c.provider.synced), { timeout: 10_000 }).toBe(true);

    // The stock provider sends one local transaction as one frame.
    paste(a.doc, FOUR_MB, 'pasted');
    appendParagraph(a.doc, 'after the paste');
    for (let i = 0; i < 5; i++) appendParagraph(typist.doc, `other note ${i}`);

    await expect.poll(() => a.isSaved(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => typist.isSaved()).toBe(true);
    await expect.poll(() => reader.text() === a.text(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => otherReader.text()).toBe(typist.text());
    const lines = a.text().split('\n');
    expect(lines.at(-1)).toBe('after the paste');
    expect(lines.filter((l) => l.startsWith('pasted '))).toHaveLength(Math.ceil(FOUR_MB / 200));
    expect(otherReader.text()).not.toContain('pasted');
    const stored = await storedText({ dataDir: server.dataDir }, pasted);
    expect(stored).toBe(a.text());
  }, TEST_TIMEOUT_MS);
  it('keeps what waits behind it bounded: a connection that piles changes up behind a big one is told to come back, and the note goes on', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const b = craftFrom(await roundTrip(raw));
    // A big update, then more small ones than may wait behind it (256 per connection).
    raw.ws.send(updateFrame(paste(b, FOUR_MB, 'first')));
    for (let i = 0; i < 400; i++) raw.ws.send(updateFrame(updateOf(b, () => b.getXmlFragment(NOTE_FIELD).push([new Y.XmlElement('paragraph')]))));
    expect((await raw.closed).code).toBe(CloseCode.Busy);

    // The co-therapist's connection was not touched, and the note takes edits and stores them.
    appendParagraph(a.doc, 'after the flood');
    await expect.poll(() => a.isSaved(), { timeout: 60_000 }).toBe(true);
    await expect.poll(async () => (await storedText({ dataDir: server.dataDir }, sessionId)).includes('after the flood'), { timeout: 60_000 }).toBe(true);
  }, TEST_TIMEOUT_MS);
});
