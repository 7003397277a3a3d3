import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startTestServer } from '../helpers/startTestServer';

const LIMIT = 64 * 1024;

describe('bad input on the sync socket', async () => {
  const server = await startTestServer({ env: { TANDEM_MAX_MESSAGE_BYTES: String(LIMIT) } });
  const clinic = await createClinic(server.baseUrl);
  const sessionId = await createSession(clinic);
  const headers = { cookie: clinic.b.api.cookie!, origin: server.baseUrl };
  const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);

  const validUpdate = () => {
    const d = new Y.Doc();
    appendParagraph(d, 'x');
    return Y.encodeStateAsUpdate(d);
  };

  const cases: [string, () => Uint8Array | string, number][] = [
    ['random bytes', () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]), CloseCode.BadMessage],
    ['a truncated sync frame', () => updateFrame(validUpdate()).slice(0, 6), CloseCode.BadMessage],
    ['an unknown message type', () => new Uint8Array([42, 0]), CloseCode.BadMessage],
    ['an unknown sync sub-type', () => new Uint8Array([0, 9, 0]), CloseCode.BadMessage],
    ['a garbage document update in a valid envelope', () => updateFrame(new Uint8Array([5, 200, 1, 7, 7, 7, 7])), CloseCode.BadMessage],
    ['trailing bytes after a frame', () => new Uint8Array([...updateFrame(validUpdate()), 1, 2, 3]), CloseCode.BadMessage],
    ['a text frame', () => 'hello', CloseCode.BadMessage],
    ['a malformed awareness update', () => new Uint8Array([1, 3, 1, 5]), CloseCode.BadMessage],
    ['a message over the size limit', () => new Uint8Array(LIMIT + 10), CloseCode.MessageOverLimit],
    ['a message over twice the size limit', () => new Uint8Array(2 * LIMIT + 10), CloseCode.MessageTooBig],
  ];

  it.each(cases)('closes the connection that sent %s, and nothing else changes', async (_name, payload, code) => {
    await expect.poll(() => a.provider.synced).toBe(true);
    const before = a.text();
    const raw = await openRaw(server.baseUrl, sessionId, headers);
    raw.ws.send(payload());
    const closed = await raw.closed;
    expect(closed.code).toBe(code);
    // Our own codes carry a reason; 1009 is ws's standard "message too big", sent without one.
    if (code !== CloseCode.MessageTooBig) expect(closed.reason.length).toBeGreaterThan(0);
    if (code === CloseCode.MessageOverLimit) {
      expect(closed.reason).toBe(`message of ${LIMIT + 10} bytes is over the limit of ${LIMIT} bytes`);
      expect(raw.notices.find((n) => n.type === 'too-big')).toEqual({ type: 'too-big', size: LIMIT + 10, limit: LIMIT });
    }
    // The note is untouched and the other client still works.
    expect(a.text()).toBe(before);
    appendParagraph(a.doc, `still working after ${_name}`);
    await expect.poll(() => a.isSaved()).toBe(true);
    const probe = connectClient(server.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => probe.text()).toBe(a.text());
    probe.destroy();
  });

  it('refuses a sync URL that is not a session id, before any socket opens', async () => {
    await expect(openRaw(server.baseUrl, '..%2F..%2Fetc%2Fpasswd', headers)).rejects.toMatchObject({ status: 404 });
    await expect(openRaw(server.baseUrl, '00000000-0000-4000-8000-000000000000', headers)).rejects.toMatchObject({ status: 404 });
  });
});
