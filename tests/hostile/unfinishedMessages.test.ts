/**
 * Attack, 6 Dec: a member opened sockets on sessions of his own and sent each 19 MiB of a message
 * in fragments, never the last one. `ws` kept every fragment and his client answered every ping:
 * 96 sockets held 2 GB of the process, and nothing told the operator. What an account's sockets,
 * and all sockets, may hold of unfinished messages is now bounded (unfinishedMessages.ts).
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { Connection, queuedLimits, type Principal } from '../../server/collab/Connection';
import { unfinishedLimits, watchUnfinished } from '../../server/collab/unfinishedMessages';
import { REQUEST_BODY_LIMITS } from '../../server/http/heldBodies';
import { createLogger } from '../../server/log';
import { HeldBytes } from '../../server/ops/heldBytes';
import { createSession, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { openRaw, type RawSocket } from '../helpers/rawSocket';
import { deferCleanup } from '../helpers/services';

const KIB = 1024;
const MAX_MESSAGE = 256 * KIB;

/** Sends `bytes` of a binary message in 64 KiB fragments, never the last one. */
function beginMessage(ws: WebSocket, bytes: number): void {
  for (let sent = 0; sent < bytes; sent += 64 * KIB) ws.send(Buffer.alloc(Math.min(64 * KIB, bytes - sent), 7), { fin: false });
}

const isOpen = (raw: RawSocket) => raw.ws.readyState === WebSocket.OPEN;

describe('messages begun and never finished', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_MAX_MESSAGE_BYTES: String(MAX_MESSAGE) } });
  const perAccount = unfinishedLimits(MAX_MESSAGE).perKey;
  const open = async (who: Person) => openRaw(server.baseUrl, await createSession(clinic), { cookie: who.api.cookie!, origin: server.baseUrl });
  const metric = async (name: string, kind: 'websocket' | 'request') => {
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    return Number(new RegExp(`^${name}\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
  };

  it('closes the largest socket of an account whose unfinished messages pass its bound, and no one else’s', async () => {
    const share = Math.floor((perAccount * 0.4) / KIB) * KIB;
    const mine = [await open(clinic.a), await open(clinic.a), await open(clinic.a)];
    const theirs = await open(clinic.b);
    beginMessage(theirs.ws, share);
    beginMessage(mine[0]!.ws, share);
    beginMessage(mine[1]!.ws, share);
    await expect.poll(() => metric('tandem_held_bytes', 'websocket')).toBeGreaterThanOrEqual(3 * share);
    // Two of A's fit in his bound; the third takes him past it.
    beginMessage(mine[2]!.ws, share);
    const closed = await Promise.race(mine.map((raw) => raw.closed));
    expect(closed).toMatchObject({ code: CloseCode.Busy, reason: expect.stringContaining('send it again after reconnecting') });
    expect(await metric('tandem_held_dropped_total', 'websocket')).toBe(1);
    // What the closed socket held is let go (frame headers aside); B's message and A's others stand.
    await expect.poll(() => metric('tandem_held_bytes', 'websocket')).toBeLessThan(3 * share + 4 * KIB);
    expect(mine.filter(isOpen)).toHaveLength(2);
    expect(isOpen(theirs)).toBe(true);
  });

  it('takes large changes one after another on one socket, far past the bound in all', async () => {
    const id = await createSession(clinic);
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    const socket = a.provider.ws;
    const paragraph = 'x'.repeat(MAX_MESSAGE / 2);
    // Each is one message arriving in many reads of the socket; each ends the count of the one before.
    for (let i = 0; i < Math.ceil((2 * perAccount) / paragraph.length); i++) {
      appendParagraph(a.doc, `${i} ${paragraph}`);
      await expect.poll(() => a.isSaved()).toBe(true);
    }
    expect(a.provider.ws).toBe(socket);
    expect(a.closes).toEqual([]);
    a.destroy();
  });

  // The same kind before a login: request bodies begun and never finished.
  it('drops the largest of the bodies one address has begun and not finished past its bound; a login still goes through', async () => {
    const { port } = new URL(server.baseUrl);
    const part = 90 * KIB;
    const begin = () =>
      new Promise<net.Socket>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.baseUrl}\r\nContent-Type: application/json\r\nContent-Length: ${100 * KIB}\r\n\r\n`);
          socket.write(`{"email":"${'x'.repeat(part)}`, () => resolve(socket));
        });
        socket.on('error', () => {});
        deferCleanup(() => socket.destroy());
      });
    const fits = Math.floor(REQUEST_BODY_LIMITS.perKey / part);
    const parked: net.Socket[] = [];
    for (let i = 0; i < fits; i++) parked.push(await begin());
    await expect.poll(() => metric('tandem_held_bytes', 'request')).toBeGreaterThanOrEqual(fits * part);
    expect(parked.filter((s) => s.closed)).toEqual([]);
    parked.push(await begin());
    await expect.poll(() => parked.filter((s) => s.closed).length).toBe(1);
    expect(await metric('tandem_held_dropped_total', 'request')).toBe(1);
    expect(await metric('tandem_held_bytes', 'request')).toBeLessThanOrEqual(REQUEST_BODY_LIMITS.perKey);
    const login = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.baseUrl }, body: JSON.stringify({ email: 'nobody@example.org', password: 'not the password' }) });
    expect(login.status).toBe(401);
  });
});

describe('unfinished messages of every account together', () => {
  it('closes the socket holding the most once the process’s bound is passed', async () => {
    const unfinished = new HeldBytes('unfinished websocket messages', { perKey: 1024 * KIB, inAll: 1536 * KIB }, createLogger('silent'));
    const httpServer = http.createServer();
    const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * KIB });
    httpServer.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => watchUnfinished(unfinished, req.url!.slice(1), ws, socket)));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    deferCleanup(() => {
      wss.close();
      httpServer.close();
    });
    const port = (httpServer.address() as AddressInfo).port;
    const connect = async (account: string) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/${account}`);
      deferCleanup(() => ws.terminate());
      const closed = new Promise<number>((resolve) => ws.once('close', resolve));
      await new Promise((resolve) => ws.once('open', resolve));
      return { ws, closed };
    };
    const [x, y, z] = [await connect('x'), await connect('y'), await connect('z')];
    beginMessage(x.ws, 512 * KIB);
    beginMessage(y.ws, 640 * KIB);
    await expect.poll(() => unfinished.bytes).toBeGreaterThanOrEqual(1152 * KIB);
    beginMessage(z.ws, 512 * KIB);
    // y holds the most: it goes, whoever crossed the line.
    expect(await y.closed).toBe(CloseCode.Busy);
    await expect.poll(() => unfinished.bytes).toBeLessThan(1028 * KIB);
    expect(unfinished.bytes).toBeGreaterThanOrEqual(1024 * KIB);
    expect([x.ws.readyState, z.ws.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
  });
});

describe('bytes queued for peers that do not read', () => {
  it('drops the socket of an account holding the most once its sockets together pass the bound, and counts down as peers read', async () => {
    const maxBuffered = 4 * 1024 * KIB;
    const queued = new HeldBytes('bytes queued for peers that do not read', queuedLimits(maxBuffered), createLogger('silent'));
    const httpServer = http.createServer();
    const wss = new WebSocketServer({ noServer: true });
    const conns: Connection[] = [];
    httpServer.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        const account = req.url!.slice(1);
        let conn: Connection | null = null;
        const holder = queued.holder(`account:${account}`, () => conn?.terminate());
        conn = new Connection(ws, { accountId: account, name: account, color: '#000000', role: 'therapist', loginId: account } satisfies Principal, 'session', true, maxBuffered, [], holder);
        conns.push(conn);
      }),
    );
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    deferCleanup(() => {
      wss.close();
      httpServer.close();
    });
    const port = (httpServer.address() as AddressInfo).port;
    const connect = async (account: string, reads: boolean) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/${account}`);
      deferCleanup(() => ws.terminate());
      let received = 0;
      ws.on('message', (data: Buffer) => (received += data.byteLength));
      const closed = new Promise<number>((resolve) => ws.once('close', resolve));
      await new Promise((resolve) => ws.once('open', resolve));
      // A peer that stops reading: the kernel's buffers fill, then the server's queue grows.
      if (!reads) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      return { ws, closed, received: () => received };
    };
    const stalled = [await connect('x', false), await connect('x', false), await connect('x', false)];
    const reader = await connect('y', true);
    await expect.poll(() => conns.length).toBe(4);
    // Each socket is under its own bound when sent to; together x's queues pass eight of them, and
    // y's one frame fits in y's bound.
    const frame = Buffer.alloc(24 * 1024 * KIB, 1);
    for (const conn of conns) conn.send(frame);
    // Dropped on the server's side (a peer that does not read hears of it when it reads again).
    await expect.poll(() => conns.filter((c) => !c.isOpen).length).toBeGreaterThanOrEqual(1);
    expect(conns.slice(0, 3).filter((c) => !c.isOpen).length).toBeGreaterThanOrEqual(1);
    // x's within x's bound, y's within y's.
    expect(queued.bytes).toBeLessThanOrEqual(queuedLimits(maxBuffered).perKey + frame.byteLength);
    // The reader has it all, and what was queued for it is counted off as it went out.
    await expect.poll(() => reader.received()).toBe(frame.byteLength);
    for (const s of stalled) s.ws.terminate();
    await expect.poll(() => queued.bytes).toBe(0);
  });
});
