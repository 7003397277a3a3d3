/**
 * Attack, 6 Dec: a peer opened about 10,500 TCP connections to one process and sent each one's
 * request headers a byte at a time, or nothing, or half a websocket upgrade. Each held a file
 * descriptor; at the limit every new connection failed, for every clinician, and nothing told the
 * operator. Connections are now bounded in all and per address, a request must be complete within
 * the headers timeout, an upgrade must be decided in time, and each is counted and logged once
 * per burst (server/http/connectionLimits.ts).
 *
 * Every socket of the test comes from loopback; the floods come from other addresses of
 * 127.0.0.0/8 (all of it is loopback on Linux), so the per-address bound can be told apart.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import type { Store } from '../../server/persistence/ports';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { createSession, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, liveSession } from '../helpers/connectClient';
import { metricValue } from '../helpers/metrics';
import { openRaw, type RawSocket } from '../helpers/rawSocket';
import { deferCleanup } from '../helpers/services';

interface PeerSocket {
  socket: net.Socket;
  /** What the server sent, as text. */
  answer(): string;
  isClosed(): boolean;
  /** Closed before the test ended it. */
  closedByServer(): boolean;
  closed: Promise<void>;
  /** The test lets go of it. */
  end(): void;
}

/** A raw TCP connection from `from` that sends `first` once connected, then nothing more. */
function openFrom(port: number, from: string, first: string): Promise<PeerSocket> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
  deferCleanup(() => socket.destroy());
  let answer = '';
  let isClosed = false;
  let ended = false;
  socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
  // A refused socket may be reset as we write to it.
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let byServer = false;
  void closed.then(() => {
    isClosed = true;
    byServer = !ended;
  });
  const end = () => {
    ended = true;
    socket.destroy();
  };
  return new Promise((resolve) =>
    socket.once('connect', () => {
      if (first) socket.write(first);
      resolve({ socket, answer: () => answer, isClosed: () => isClosed, closedByServer: () => byServer, closed, end });
    }),
  );
}

/** What the attack's sockets sent: nothing, headers never finished, half a websocket upgrade. */
const SLOW_STARTS = [
  '',
  'GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n',
  `GET /sync/${randomUUID()} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`,
];

/** `count` slow sockets, opened one after another, from `addresses` in turn. */
async function flood(port: number, addresses: string[], count: number, starts = SLOW_STARTS): Promise<PeerSocket[]> {
  const sockets: PeerSocket[] = [];
  for (let i = 0; i < count; i++) sockets.push(await openFrom(port, addresses[i % addresses.length]!, starts[i % starts.length]!));
  return sockets;
}

/** Logs in as `who` over a connection of its own from `localAddress`; resolves with the status. */
function loginFrom(baseUrl: string, localAddress: string, who: Person): Promise<number> {
  const body = JSON.stringify({ email: who.email, password: who.password });
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/auth/login`, {
      method: 'POST', localAddress, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: baseUrl },
    }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** Log lines the server wrote with this `msg`. */
const linesSaying = (lines: string[], msg: string) => lines.map((l) => JSON.parse(l) as { msg: string; address?: string }).filter((l) => l.msg === msg);

describe('connections held by a flood, under a bound', async () => {
  const lines: string[] = [];
  // Long request bounds: here the flood stays until the test ends it.
  const { server, clinic } = await startClinic({
    log: createLogger('info', (line) => lines.push(line)),
    env: { TANDEM_MAX_CONNECTIONS: '50', TANDEM_MAX_CONNECTIONS_PER_ADDRESS: '20', TANDEM_HEADERS_TIMEOUT_MS: '600000', TANDEM_REQUEST_TIMEOUT_MS: '600000' },
  });
  const refused = (reason: string) => metricValue(server.baseUrl, 'tandem_tcp_connections_refused_total', { reason });

  it('holds one address to its share, closing the rest as they come; open notes sync and other addresses log in', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const sockets = await flood(server.port, ['127.0.0.2'], 30);
    await expect.poll(() => sockets.filter((s) => s.isClosed()).length).toBe(10);
    // Closed unanswered, not timed out: the twenty before them are held.
    expect(sockets.filter((s) => s.isClosed()).every((s) => s.answer() === '')).toBe(true);
    expect(await refused('address')).toBe(10);

    appendParagraph(a.doc, 'M1 left the room during the flood');
    await expect.poll(() => b.text()).toContain('M1 left the room during the flood');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(await loginFrom(server.baseUrl, '127.0.0.3', clinic.supervisor)).toBe(200);
    const supervisor = connectClient(server.baseUrl, id, clinic.supervisor.api.cookie);
    await expect.poll(() => supervisor.text()).toContain('M1 left the room during the flood');
    expect(sockets.filter((s) => s.isClosed())).toHaveLength(10);

    expect(linesSaying(lines, 'connections refused: one address holds its bound of connections')).toEqual([expect.objectContaining({ address: '127.0.0.2' })]);
    for (const s of sockets) s.end();
  });

  it('holds the process to its bound against many addresses, newcomers taking the places of idle sockets; open notes sync, and /healthz says it is near', async () => {
    const { a, b } = await liveSession(server.baseUrl, clinic);
    const addresses = ['127.0.0.10', '127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14', '127.0.0.15'];
    const sockets = await flood(server.port, addresses, 60);
    // Past the bound each newcomer displaced the oldest idle socket: the flood's first ones.
    await expect.poll(() => server.connections.load()).toMatchObject({ open: 50, max: 50, state: 'near_cap' });
    await expect.poll(() => sockets.filter((s) => s.isClosed()).length).toBeGreaterThanOrEqual(10);
    expect(sockets.slice(-10).every((s) => !s.isClosed())).toBe(true);

    // The notes' websockets are busy, never displaced.
    appendParagraph(a.doc, 'M2 went quiet at the bound');
    await expect.poll(() => b.text()).toContain('M2 went quiet at the bound');
    await expect.poll(() => a.isSaved()).toBe(true);

    // With the bound full of the flood's idle sockets, the health check and a login still get
    // through (before, they were closed as they came until the flood timed out: 6 Dec).
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, connections: { max: 50, state: 'near_cap' } });
    expect(await loginFrom(server.baseUrl, '127.0.0.20', clinic.b)).toBe(200);
    // The flood's sockets closed were closed unanswered, each counted (so were the test's own
    // fetches kept alive, idle at the bound: they too made way for newcomers).
    const closed = sockets.filter((s) => s.closedByServer());
    expect(closed.every((s) => s.answer() === '')).toBe(true);
    expect(await refused('process')).toBeGreaterThanOrEqual(closed.length);
    expect(await refused('address')).toBe(10);
    expect(linesSaying(lines, 'connections refused: the process holds its bound of connections')).toHaveLength(1);
    for (const s of sockets) s.end();
  });

  it('closes a newcomer as it comes when every connection of its address is busy, and a slow body does not make one busy', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    // A login whose body never finishes: in flight, yet displaceable (it would hold its place until the request timeout).
    const slowBody = await openFrom(server.port, '127.0.0.1', `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.baseUrl}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":`);
    // Websockets from this test's own address until its bound is full of busy connections (in
    // turn from three accounts: one account may hold 16 on a note).
    const held: RawSocket[] = [];
    const cookies = [clinic.supervisor, clinic.a, clinic.b].map((p) => p.api.cookie!);
    let turnedAway: unknown = null;
    while (turnedAway === null && held.length < 30) {
      await openRaw(server.baseUrl, id, { cookie: cookies[held.length % 3]!, origin: server.baseUrl }).then((raw) => void held.push(raw), (err: unknown) => void (turnedAway = err));
    }
    expect(turnedAway).toMatchObject({ message: expect.stringMatching(/socket hang up|ECONNRESET/) });
    expect(held.length).toBeLessThan(20);
    expect(slowBody.closedByServer()).toBe(true);
    expect(held.every((raw) => raw.ws.readyState === raw.ws.OPEN)).toBe(true);

    appendParagraph(a.doc, 'M1 asked for a break at the bound');
    await expect.poll(() => b.text()).toContain('M1 asked for a break at the bound');
    for (const raw of held) raw.ws.terminate();
  });
});

describe('requests and upgrades not finished in time', async () => {
  const lines: string[] = [];
  const heldSession = randomUUID();
  let releaseHeld = () => {};
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  deferCleanup(() => releaseHeld());
  const { server, clinic } = await startClinic({
    log: createLogger('info', (line) => lines.push(line)),
    env: { TANDEM_HEADERS_TIMEOUT_MS: '1000', TANDEM_REQUEST_TIMEOUT_MS: '1000', TANDEM_UPGRADE_TIMEOUT_MS: '1000' },
    // One session's lookup hangs, as on a database that stopped answering.
    decorateStore: (store: Store): Store => {
      const byId = store.sessions.byId.bind(store.sessions);
      store.sessions.byId = async (id) => {
        if (id === heldSession) await held;
        return byId(id);
      };
      return store;
    },
  });
  const timedOut = (reason: string) => metricValue(server.baseUrl, 'tandem_tcp_connections_timed_out_total', { reason });

  it('answers 408 and closes sockets that send nothing, headers never finished, a header a while, or a body never finished', async () => {
    const { a, b } = await liveSession(server.baseUrl, clinic);
    const unfinishedBody = `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.baseUrl}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":`;
    const sockets = await flood(server.port, ['127.0.0.2'], 12, [...SLOW_STARTS, unfinishedBody]);
    // The slowloris proper: one header line after another, each well within any idle bound.
    const trickling = await openFrom(server.port, '127.0.0.2', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => trickling.socket.write(`X-Slow-${Date.now()}: 1\r\n`), 100);
    void trickling.closed.then(() => clearInterval(trickle));
    sockets.push(trickling);

    await Promise.all(sockets.map((s) => s.closed));
    expect(sockets.map((s) => s.answer().split('\r\n')[0])).toEqual(sockets.map(() => 'HTTP/1.1 408 Request Timeout'));
    expect(await timedOut('request')).toBe(sockets.length);
    expect(linesSaying(lines, 'connections closed: a request not complete in time')).toHaveLength(1);

    appendParagraph(a.doc, 'written after the slow sockets were closed');
    await expect.poll(() => b.text()).toContain('written after the slow sockets were closed');
  });

  it('closes a websocket upgrade still undecided after its bound with 4503, and counts it', async () => {
    const raw = await openRaw(server.baseUrl, heldSession, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    expect(await raw.closed).toEqual({ code: CloseCode.LoadFailed, reason: 'server busy; retrying' });
    expect(await timedOut('upgrade')).toBe(1);
    expect(linesSaying(lines, 'websocket upgrades closed: not decided in time (storage slow?)')).toHaveLength(1);
    // The lookup comes back late: nothing more happens to the closed socket, and notes open as before.
    releaseHeld();
    const id = await createSession(clinic);
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
  });
});
