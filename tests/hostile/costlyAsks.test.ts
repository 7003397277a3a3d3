import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_AWARENESS_BYTES, MAX_AWARENESS_ENTRIES } from '../../server/collab/awarenessStamp';
import { MAX_PRESENCE_QUERIES } from '../../server/collab/presence';
import { MAX_COMPUTED_SYNC_ANSWERS } from '../../server/collab/syncAnswer';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { MessageType } from '../../shared/protocol/messageType';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { createSession } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { askSync as ask, roundTrip } from '../helpers/craft';
import { openRaw, updateFrame, type RawSocket } from '../helpers/rawSocket';

/** An awareness frame of `entries` entries for `id`, each with the state `state`. */
function presenceFrame(entries: number, id: number, state = '{}'): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries);
  for (let i = 0; i < entries; i++) {
    encoding.writeVarUint(update, id);
    encoding.writeVarUint(update, i + 1);
    encoding.writeVarString(update, state);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  return encoding.toUint8Array(e);
}

/** The payload of the sync step 2 that answers an empty state vector sent now on `raw`. */
function wholeStep2(raw: RawSocket): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== MessageType.Sync || decoding.readVarUint(d) !== 1) return;
      raw.ws.off('message', onMessage);
      resolve(decoding.readVarUint8Array(d));
    };
    raw.ws.on('message', onMessage);
    raw.ws.send(Uint8Array.of(MessageType.Sync, 0, 1, 0));
  });
}

const textOf = (update: Uint8Array): string => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getXmlFragment(NOTE_FIELD).toString();
};

// Attack, 3 Dec: asks that are cheap to send and costly to answer. One presence frame of 1.2
// million entries held the event loop 180–420 ms, and sync step 1 with an empty state vector,
// sent over and over by ten read-only sockets, had a long note encoded whole each time.
describe('asks that cost the server far more than the asker', async () => {
  const { server, clinic } = await startClinic();
  const headers = (cookie: string | null) => ({ cookie: cookie!, origin: server.baseUrl });
  /** A note A wrote `line` in (saved), and a supervisor's raw socket on it. */
  const withReader = async (line: string) => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    appendParagraph(a.doc, line);
    await expect.poll(() => a.isSaved()).toBe(true);
    return { sessionId, a, reader: await openRaw(server.baseUrl, sessionId, headers(clinic.supervisor.api.cookie)) };
  };

  it('closes a socket whose presence frame has too many entries or bytes, and takes a full one', async () => {
    const sessionId = await createSession(clinic);
    const many = await openRaw(server.baseUrl, sessionId, headers(clinic.supervisor.api.cookie));
    many.ws.send(presenceFrame(MAX_AWARENESS_ENTRIES + 1, 4242));
    expect((await many.closed).code).toBe(CloseCode.BadMessage);

    const big = await openRaw(server.baseUrl, sessionId, headers(clinic.supervisor.api.cookie));
    big.ws.send(presenceFrame(64, 4243, JSON.stringify({ pad: 'x'.repeat(Math.ceil(MAX_AWARENESS_BYTES / 64)) })));
    expect((await big.closed).code).toBe(CloseCode.BadMessage);

    // At the bound, a page echoing everyone it knows: taken, and the socket stays.
    const full = await openRaw(server.baseUrl, sessionId, headers(clinic.b.api.cookie));
    full.ws.send(presenceFrame(MAX_AWARENESS_ENTRIES, 4244));
    await roundTrip(full);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.awareness.getStates().has(4244)).toBe(true);
    expect(full.ws.readyState).toBe(full.ws.OPEN);
  }, 60_000);

  it('answers every ask for the whole note with the note as it is now', async () => {
    const { a, reader } = await withReader('first line');
    const first = await ask(reader, Y.encodeStateVector(new Y.Doc()));
    // Asked again, and with a state vector that holds nothing of the note: the same note.
    expect(await ask(reader, Y.encodeStateVector(new Map([[a.doc.clientID, 0], [12345, 7]])))).toEqual(first);
    expect(textOf(first)).toContain('first line');
    appendParagraph(a.doc, 'second line');
    await expect.poll(() => a.isSaved()).toBe(true);
    for (let i = 0; i < MAX_COMPUTED_SYNC_ANSWERS + 2; i++) expect(textOf(await ask(reader, new Uint8Array([0])))).toContain('second line');
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
  }, 60_000);

  // Attack, 4 Dec: a keystroke, then an ask, over and over: each change dropped the encoded note,
  // so every ask encoded an 8 MB note again (250–480 ms of the loop a round, without end).
  it('answers a keystroke-and-ask loop from the note encoded once and the changes since', async () => {
    const { a, reader } = await withReader('opening line');
    const encoded = await wholeStep2(reader);
    for (let i = 0; i < 12; i++) {
      appendParagraph(a.doc, `keystroke ${i}`);
      await expect.poll(() => a.isSaved()).toBe(true);
      // The state is the one encoded before the keystrokes; the answer carries them ahead of it.
      expect(await wholeStep2(reader)).toEqual(encoded);
      expect(textOf(await ask(reader, new Uint8Array([0])))).toContain(`keystroke ${i}`);
    }
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
  }, 60_000);

  it('answers a few presence queries on a socket, then closes it', async () => {
    const sessionId = await createSession(clinic);
    const reader = await openRaw(server.baseUrl, sessionId, headers(clinic.supervisor.api.cookie));
    const answered = () => new Promise<void>((resolve) => reader.ws.once('message', () => resolve()));
    for (let i = 0; i < MAX_PRESENCE_QUERIES; i++) {
      const answer = answered();
      reader.ws.send(Uint8Array.of(MessageType.QueryAwareness));
      await answer;
    }
    reader.ws.send(Uint8Array.of(MessageType.QueryAwareness));
    expect((await reader.closed).code).toBe(CloseCode.BadMessage);
  }, 60_000);

  it('refuses a reader’s big update before judging it, and keeps the socket', async () => {
    const sessionId = await createSession(clinic);
    const reader = await openRaw(server.baseUrl, sessionId, headers(clinic.supervisor.api.cookie));
    const before = textOf(await roundTrip(reader));
    const crafted = new Y.Doc();
    const fragment = crafted.getXmlFragment(NOTE_FIELD);
    // 12,000 structs: judged off the event loop, against the whole note, were it a writer's.
    for (let i = 0; i < 12_000; i++) fragment.insert(0, [new Y.XmlText('x')]);
    reader.ws.send(updateFrame(Y.encodeStateAsUpdate(crafted)));
    await expect.poll(() => reader.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'read_only' });
    expect(textOf(await roundTrip(reader))).toBe(before);
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
  }, 60_000);

  it('computes a diff for a socket a few times, then closes it', async () => {
    const { sessionId, reader } = await withReader('held already');
    const whole = await ask(reader, new Uint8Array([0]));
    expect(textOf(whole)).toContain('held already');
    const holdsAll = Y.encodeStateVectorFromUpdate(whole);
    for (let i = 0; i < MAX_COMPUTED_SYNC_ANSWERS; i++) expect(textOf(await ask(reader, holdsAll))).not.toContain('held already');
    void ask(reader, holdsAll);
    expect((await reader.closed).code).toBe(CloseCode.BadMessage);
    // Another socket of the same person is answered as before.
    const next = await openRaw(server.baseUrl, sessionId, headers(clinic.supervisor.api.cookie));
    expect(textOf(await ask(next, holdsAll))).not.toContain('held already');
    next.ws.close();
  }, 60_000);
});
