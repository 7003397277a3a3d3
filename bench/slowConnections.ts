/**
 * Measures the slow-connection attack of 6 Dec against a running server (not part of the suite):
 * attacker processes open TCP connections from `--addresses` loopback addresses, each sending part
 * of a request's headers and then one more header line every 5 s (reopening any the server closes),
 * while two clinicians keep a note open. At every `--step` connections held, it says what a
 * clinician sees: whether the open note still syncs, and whether a new connection (health check,
 * login, a note opened in a new tab) gets through.
 *
 *   npx tsx bench/slowConnections.ts --url http://127.0.0.1:18333 --pid <server pid> --addresses 40 --target 24000
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType } from '../shared/protocol/messageType';
import { createClinic, createSession, expectStatus, type Person } from '../tests/helpers/api';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:18333' },
    pid: { type: 'string' },
    addresses: { type: 'string', default: '1' },
    target: { type: 'string', default: '24000' },
    step: { type: 'string', default: '2000' },
    attackers: { type: 'string', default: '3' },
    attacker: { type: 'boolean', default: false },
    from: { type: 'string', default: '' },
  },
});

interface Tally {
  held: number;
  closedByServer: number;
  errors: Record<string, number>;
}

/** The attacker: holds as many slow connections as it can up to its share of the target. */
function attack(url: URL, from: string[], target: number): void {
  const held = new Set<net.Socket>();
  const tally: Tally = { held: 0, closedByServer: 0, errors: {} };
  let next = 0;
  let pending = 0;
  const open = () => {
    pending++;
    const socket = net.connect({ host: url.hostname, port: Number(url.port), localAddress: from[next++ % from.length] });
    let connected = false;
    socket.once('connect', () => {
      pending--;
      connected = true;
      held.add(socket);
      socket.write(`GET /api/me HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n`);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (tally.errors[err.code ?? err.message] = (tally.errors[err.code ?? err.message] ?? 0) + 1));
    socket.once('close', () => {
      if (!connected) pending--;
      else tally.closedByServer++;
      held.delete(socket);
    });
  };
  // Open fast, then keep topping up what the server closes.
  setInterval(() => {
    for (let i = 0; i < 200 && held.size + pending < target; i++) open();
  }, 20);
  setInterval(() => {
    for (const s of held) s.write(`X-Slow: ${Date.now()}\r\n`);
  }, 5_000);
  setInterval(() => process.send?.({ ...tally, held: held.size }), 500);
}

/** A y-websocket client of the note, logged in as `who`. */
function clinician(url: string, sessionId: string, who: Person): { doc: Y.Doc; provider: WebsocketProvider } {
  const headers = { cookie: who.api.cookie!, origin: url };
  class HeaderSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + '/sync', sessionId, doc, { WebSocketPolyfill: HeaderSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  // Tandem's own messages (saved, notices) are not what is measured here.
  for (const type of [MessageType.Saved, MessageType.Notice]) provider.messageHandlers[type] = () => {};
  return { doc, provider };
}

const within = <T>(ms: number, work: Promise<T>, late: T): Promise<T> => Promise.race([work, new Promise<T>((resolve) => setTimeout(() => resolve(late), ms))]);

/** A request on a connection of its own (no pooled keep-alive connection): what a new page does. */
function freshRequest(url: string, method: string, body?: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(url, { method, agent: false, headers: { 'content-type': 'application/json', origin: new URL(url).origin } }, (res) => {
      res.resume();
      res.once('end', () => resolve(String(res.statusCode)));
    });
    req.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end(body);
  });
}

async function main(): Promise<void> {
  const url = args.url;
  const clinic = await createClinic(url);
  const sessionId = await createSession(clinic, 'individual');
  await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
  const a = clinician(url, sessionId, clinic.a);
  const b = clinician(url, sessionId, clinic.b);
  await new Promise<void>((resolve) => b.provider.once('sync', () => resolve()));
  let line = 0;
  const probe = async () => {
    const words = `probe ${++line}`;
    const p = a.doc.getXmlFragment('note');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(words)]);
    p.push([paragraph]);
    const synced = within(5_000, new Promise<string>((resolve) => {
      const check = () => (JSON.stringify(b.doc.getXmlFragment('note').toJSON()).includes(words) ? resolve('yes') : setTimeout(check, 20));
      check();
    }), 'no (5 s)');
    const health = within(5_000, freshRequest(`${url}/healthz`, 'GET'), 'no answer (5 s)');
    const login = within(10_000, freshRequest(`${url}/api/auth/login`, 'POST', JSON.stringify({ email: clinic.b.email, password: clinic.b.password })), 'no answer (10 s)');
    const newTab = within(5_000, new Promise<string>((resolve) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${sessionId}`, { headers: { cookie: clinic.b.api.cookie!, origin: url } });
      ws.once('open', () => {
        resolve('opened');
        ws.close();
      });
      ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
      ws.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    }), 'no answer (5 s)');
    return { synced: await synced, health: await health, login: await login, newTab: await newTab };
  };
  const descriptors = () => (args.pid ? fs.readdirSync(`/proc/${args.pid}/fd`).length : NaN);

  const addresses = Array.from({ length: Number(args.addresses) }, (_, i) => `127.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`);
  const attackers = Number(args.attackers);
  const tallies = new Map<ChildProcess, Tally>();
  const children = Array.from({ length: attackers }, (_, k) => {
    const mine = addresses.filter((_, i) => i % attackers === k);
    const child = fork(import.meta.filename, ['--attacker', '--url', url, '--from', (mine.length ? mine : addresses).join(','), '--target', String(Math.ceil(Number(args.target) / attackers))], { execArgv: ['--import', 'tsx'] });
    child.on('message', (t: Tally) => tallies.set(child, t));
    return child;
  });
  const total = () => [...tallies.values()].reduce((s, t) => ({ held: s.held + t.held, closedByServer: s.closedByServer + t.closedByServer }), { held: 0, closedByServer: 0 });
  console.log(`server ${url}, ${addresses.length} attacking address(es), target ${args.target} connections; before: ${JSON.stringify(await probe())}, server descriptors ${descriptors()}`);
  const step = Number(args.step);
  let nextStep = step;
  let best = 0;
  let sinceBest = 0;
  const started = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { held, closedByServer } = total();
    if (held > best) [best, sinceBest] = [held, 0];
    else sinceBest++;
    const plateau = sinceBest >= 10;
    if (held >= nextStep || plateau) {
      const seen = await probe();
      console.log(`t=${Math.round((Date.now() - started) / 1000)}s held ${held} (server closed ${closedByServer} so far), server descriptors ${descriptors()}: ${JSON.stringify(seen)}`);
      while (nextStep <= held) nextStep += step;
    }
    if (plateau || held >= Number(args.target)) break;
  }
  const errors: Record<string, number> = {};
  for (const t of tallies.values()) for (const [k, v] of Object.entries(t.errors)) errors[k] = (errors[k] ?? 0) + v;
  console.log(`most held at once: ${best}; attacker socket errors: ${JSON.stringify(errors)}`);
  for (const child of children) child.kill();
  // After the flood: the same probes once the server has had the headers timeout to clear it.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  console.log(`after the attackers left: ${JSON.stringify(await probe())}, server descriptors ${descriptors()}`);
  a.provider.destroy();
  b.provider.destroy();
  process.exit(0);
}

if (args.attacker) attack(new URL(args.url), args.from.split(','), Number(args.target));
else void main();
