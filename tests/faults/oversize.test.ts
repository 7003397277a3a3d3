import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { limitOutgoing, type OutgoingLimit, type SetAsideChange } from '../../client/collab/outgoingLimit';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { updateMessageBytes } from '../../shared/protocol/messageSize';
import { MessageType } from '../../shared/protocol/messageType';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient, noteText, type TestClient } from '../helpers/connectClient';
import { metricValue } from '../helpers/metrics';
import { startTestServer } from '../helpers/startTestServer';
import { storedText } from '../helpers/storedNote';

const LIMIT = 64 * 1024;
/** A paste well over the limit (and under twice it, so the server reads it to tell its size). */
const BIG = 'x'.repeat(LIMIT + 20_000);

/** As the browser client does: each connection's hello sets the limit, before anything else is handled. */
function followHello(client: TestClient, limit: OutgoingLimit): void {
  const handleNotice = client.provider.messageHandlers[MessageType.Notice]!;
  client.provider.messageHandlers[MessageType.Notice] = (...args) => {
    handleNotice(...args);
    const notice = client.notices.at(-1);
    if (notice?.type === 'hello') limit.setLimit(notice.maxMessageBytes);
  };
}

/** A window in which a reconnecting provider (backoff at most 300 ms) would have come back several times. */
async function watchFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await expect.poll(() => Date.now() >= until, { timeout: ms + 10_000 }).toBe(true);
}

describe('a message over TANDEM_MAX_MESSAGE_BYTES', async () => {
  const server = await startTestServer({ env: { TANDEM_MAX_MESSAGE_BYTES: String(LIMIT) } });
  const clinic = await createClinic(server.baseUrl);
  const opened = () => metricValue(server.baseUrl, 'tandem_connections_opened_total');
  const overLimit = () => metricValue(server.baseUrl, 'tandem_messages_over_limit_total');

  it('closes a stock client finally, telling it the size and the limit, so it does not send it again', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    const openedBefore = await opened();
    const overBefore = await overLimit();

    appendParagraph(a.doc, BIG);
    await expect.poll(() => a.closes.find((c) => c.code === CloseCode.MessageOverLimit)).toBeDefined();
    const close = a.closes.find((c) => c.code === CloseCode.MessageOverLimit)!;
    const tooBig = a.notices.find((n) => n.type === 'too-big');
    expect(tooBig).toEqual({ type: 'too-big', size: expect.any(Number), limit: LIMIT });
    const size = (tooBig as { size: number }).size;
    expect(size).toBeGreaterThan(LIMIT);
    expect(close.reason).toBe(`message of ${size} bytes is over the limit of ${LIMIT} bytes`);

    await watchFor(3_000);
    expect(await opened()).toBe(openedBefore);
    expect(await overLimit()).toBe(overBefore + 1);
    expect(a.provider.shouldConnect).toBe(false);
  });

  it('is set aside by the client before sending: the person is told, nothing loops, and later edits are stored', async () => {
    const sessionId = await createSession(clinic);
    const doc = new Y.Doc();
    const setAside: SetAsideChange[] = [];
    const unsendable: number[] = [];
    const limit = limitOutgoing(doc, { onSetAside: (c) => setAside.push(c), onUnsendable: (size) => unsendable.push(size) });
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie, { doc, wrapSocket: limit.guardSocket });
    followHello(a, limit);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(doc, 'before the paste');
    await expect.poll(() => a.isSaved()).toBe(true);
    const openedBefore = await opened();
    const overBefore = await overLimit();

    appendParagraph(doc, BIG);
    expect(setAside).toHaveLength(1);
    expect(setAside[0]).toMatchObject({ limit: LIMIT, text: BIG });
    expect(setAside[0]!.size).toBeGreaterThan(LIMIT);
    // Out of the note on this device, so nothing that follows depends on what the server lacks.
    // (Once the change's own update event is over: see outgoingLimit.ts.)
    await expect.poll(() => a.text()).not.toContain('xxx');
    appendParagraph(doc, 'after the paste');
    await expect.poll(() => a.isSaved()).toBe(true);

    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.text()).toContain('after the paste');
    expect(b.text()).not.toContain('xxx');
    expect(await storedText({ dataDir: server.dataDir }, sessionId)).toMatch(/before the paste[\s\S]*after the paste/);
    expect(await overLimit()).toBe(overBefore);
    expect(await opened()).toBe(openedBefore + 1); // b's connection; a never reconnected
    expect(unsendable).toEqual([]);
  });

  // Walk, 5 Dec: three pastes made offline, each under the limit, ended the note's connection at
  // the reconnect, and nothing typed offline was saved.
  it('is sent in pieces under the limit when it is many changes (edits made offline add up), and stored', async () => {
    const sessionId = await createSession(clinic);
    const doc = new Y.Doc();
    const unsendable: number[] = [];
    const limit = limitOutgoing(doc, { onSetAside: () => {}, onUnsendable: (size) => unsendable.push(size) });
    // Offline, before any hello: each paragraph is under the limit, together they are over it.
    for (let i = 0; i < 8; i++) appendParagraph(doc, `${i} ${'y'.repeat(LIMIT / 4)}`);
    appendParagraph(doc, 'typed offline after the pastes');
    const overBefore = await overLimit();
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie, { doc, wrapSocket: limit.guardSocket });
    followHello(a, limit);
    await expect.poll(() => a.provider.synced && a.isSaved()).toBe(true);
    expect(unsendable).toEqual([]);
    expect(await overLimit()).toBe(overBefore);
    const stored = await storedText({ dataDir: server.dataDir }, sessionId);
    for (let i = 0; i < 8; i++) expect(stored).toContain(`${i} ${'y'.repeat(LIMIT / 4)}`);
    expect(stored).toContain('typed offline after the pastes');
  });

  it('is not sent when one change in it is over the limit (made before the limit was known), and the client is told', async () => {
    const sessionId = await createSession(clinic);
    const doc = new Y.Doc();
    const unsendable: { size: number; limit: number }[] = [];
    const limit = limitOutgoing(doc, { onSetAside: () => {}, onUnsendable: (size, max) => unsendable.push({ size, limit: max }) });
    // Offline, before any hello: the device checks against the default limit, far above the server's.
    appendParagraph(doc, 'small');
    appendParagraph(doc, BIG);
    const overBefore = await overLimit();
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie, { doc, wrapSocket: limit.guardSocket });
    followHello(a, limit);
    await expect.poll(() => unsendable.length).toBeGreaterThan(0);
    expect(unsendable[0]!.size).toBeGreaterThan(LIMIT);
    expect(unsendable[0]!.limit).toBe(LIMIT);
    expect(await overLimit()).toBe(overBefore);
  });

  it('is not offered again by the device copy (IndexedDB) when the note is next opened', async () => {
    const sessionId = await createSession(clinic);
    const copyName = `tandem:test:${sessionId}`;
    const doc = new Y.Doc();
    const limit = limitOutgoing(doc, { onSetAside: () => {}, onUnsendable: () => {} });
    const copy = new IndexeddbPersistence(copyName, doc);
    await copy.whenSynced;
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie, { doc, wrapSocket: limit.guardSocket });
    followHello(a, limit);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(doc, BIG);
    appendParagraph(doc, 'typed after the paste');
    await expect.poll(() => a.isSaved()).toBe(true);
    limit.stop();
    await copy.destroy();
    a.destroy();

    // The next opening, in the browser client's order (deletion tally, copy, then connect): the
    // copy holds the change and its removal, so what it offers is small.
    const reopened = new Y.Doc();
    const stock = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie, { doc: reopened, connect: false });
    const again = new IndexeddbPersistence(copyName, reopened);
    await again.whenSynced;
    expect(noteText(reopened)).toContain('typed after the paste');
    expect(noteText(reopened)).not.toContain('xxx');
    expect(updateMessageBytes(Y.encodeStateAsUpdate(reopened).byteLength)).toBeLessThan(LIMIT);
    const overBefore = await overLimit();
    stock.provider.connect();
    await expect.poll(() => stock.provider.synced).toBe(true);
    await expect.poll(() => stock.isSaved()).toBe(true);
    expect(stock.closes).toEqual([]);
    expect(await overLimit()).toBe(overBefore);
    await again.destroy();
  });
});
