import { describe, expect, it } from 'vitest';
import { installServerMessageHandlers } from '../../client/collab/serverMessages';
import { watchSilence } from '../../client/collab/silenceWatch';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { HEARTBEAT_FRAME } from '../../shared/protocol/liveness';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient, noteText, type TestClient } from '../helpers/connectClient';
import { deferCleanup } from '../helpers/services';
import { openRaw } from '../helpers/rawSocket';
import { startSilencingProxy } from '../helpers/silencingProxy';
import { startTestServer } from '../helpers/startTestServer';

const PING_MS = 1_000;
const HEARTBEAT_MS = 200;

/** What y-websocket clients do after a reconnect: a new awareness clock, so the server takes it. */
function announceAgain(client: TestClient): void {
  const awareness = client.provider.awareness;
  awareness.setLocalState({ ...awareness.getLocalState() });
}

describe('a network that dies without closing (no FIN, no RST)', async () => {
  const server = await startTestServer({ env: { TANDEM_PING_INTERVAL_MS: String(PING_MS), TANDEM_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
  const clinic = await createClinic(server.baseUrl);

  it('gets the dead connection dropped by the server, which frees its presence for the next one', async () => {
    const sessionId = await createSession(clinic);
    const proxy = await startSilencingProxy(server.port);
    const a = connectClient(proxy.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
    const bSeesA = () => b.provider.awareness.getStates().has(a.doc.clientID);
    await expect.poll(bSeesA).toBe(true);

    proxy.silence();
    // A's side still believes it is connected; only the server's pings can tell.
    await expect.poll(() => server.collab.stats.connections, { timeout: 20_000 }).toBe(1);
    await expect.poll(bSeesA).toBe(false);
    expect(a.provider.wsconnected).toBe(true);

    // A's next connection announces the same awareness client id, which is no longer held.
    a.provider.disconnect();
    a.provider.connect();
    await expect.poll(() => a.provider.synced).toBe(true);
    announceAgain(a);
    await expect.poll(bSeesA).toBe(true);
  });

  it('gives a client its presence back after the server closed its connection, although co-therapists echo its departure', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
    const bSeesA = () => b.provider.awareness.getStates().has(a.doc.clientID);
    await expect.poll(bSeesA).toBe(true);
    // As when the session changes: the server closes, and the provider comes back by itself.
    const reconnected = new Promise<void>((resolve) => a.provider.once('sync', () => resolve()));
    server.collab.closeWhere((c) => c.sessionId === sessionId && c.principal.accountId === clinic.a.id, CloseCode.AccessChanged, 'session changed');
    await reconnected;
    announceAgain(a);
    await expect.poll(bSeesA).toBe(true);
  });

  it('unloads a note whose only client vanished', async () => {
    const sessionId = await createSession(clinic);
    const proxy = await startSilencingProxy(server.port);
    const a = connectClient(proxy.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    expect(server.collab.loaded(sessionId)).toBeDefined();
    proxy.silence();
    await expect.poll(() => server.collab.loaded(sessionId), { timeout: 20_000 }).toBeUndefined();
  });

  it('sends a client alone in a note a heartbeat it can tell the server is there by', async () => {
    const sessionId = await createSession(clinic);
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    const arrivals: number[] = [];
    let heartbeats = 0;
    raw.ws.on('message', (data: Buffer) => {
      arrivals.push(performance.now());
      if (data.equals(HEARTBEAT_FRAME)) heartbeats++;
    });
    await expect.poll(() => heartbeats, { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
    // The first message of every connection says how often heartbeats come.
    expect(raw.notices.find((n) => n.type === 'hello')).toMatchObject({ heartbeatMs: HEARTBEAT_MS, maxMessageBytes: expect.any(Number) });
    // The stock provider reconnects after 30 s of silence; the requirement is well inside that.
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(Math.max(...gaps)).toBeLessThan(15_000);
  });

  it('lets the client notice within seconds, at the default heartbeat, and carry on over a new connection', async () => {
    const defaults = await startTestServer();
    const people = await createClinic(defaults.baseUrl);
    const sessionId = await createSession(people);
    const proxy = await startSilencingProxy(defaults.port);
    const a = connectClient(proxy.baseUrl, sessionId, people.a.api.cookie);
    let silentAt: number | null = null;
    const watch = watchSilence(a.provider, () => {
      silentAt = performance.now();
    });
    deferCleanup(() => watch.stop());
    // As the browser client does: each connection's hello says how often heartbeats come.
    installServerMessageHandlers(a.provider, {
      onSaved: () => {},
      onNotice: (notice) => {
        if (notice.type === 'hello') watch.expectHeartbeats(notice.heartbeatMs);
      },
    });
    await expect.poll(() => a.provider.synced).toBe(true);

    proxy.silence();
    const silencedAt = performance.now();
    appendParagraph(a.doc, 'typed into the dead connection');
    // The stock provider alone would wait 30 s; the heartbeat lets the client know in about five.
    await expect.poll(() => silentAt, { timeout: 20_000 }).not.toBeNull();
    expect(silentAt! - silencedAt).toBeLessThan(15_000);
    await expect.poll(() => a.provider.synced, { timeout: 20_000 }).toBe(true);
    const b = connectClient(defaults.baseUrl, sessionId, people.b.api.cookie);
    await expect.poll(() => noteText(b.doc)).toContain('typed into the dead connection');
  });
});
