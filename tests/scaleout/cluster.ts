import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { appendParagraph, type TestClient } from '../helpers/connectClient';
import { startServerProcess, type ServerProcess } from '../helpers/startTestServer';
import { deferCleanup, freshPostgresSchema, Redis, serviceUrl, uniqueRedisPrefix } from '../helpers/services';
import { storedText } from '../helpers/storedNote';

export interface Cluster {
  servers: ServerProcess[];
  databaseUrl: string;
  redisUrl: string;
}

/** The service URLs one server process is started with. */
export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
}

/**
 * `count` server processes on one fresh PostgreSQL schema and one Redis key prefix, started at
 * the same moment (so they also race on the schema migration). `redisUrl` defaults to the test Redis.
 * `via` gives a process its own route to the services (a fault proxy, say); by default all share
 * the cluster's URLs.
 */
export async function startCluster(
  count: number,
  opts: { redisUrl?: string; via?: (urls: ServiceUrls, index: number) => Promise<ServiceUrls>; env?: Record<string, string> } = {},
): Promise<Cluster> {
  const { url: databaseUrl } = await freshPostgresSchema();
  const redis = new URL(opts.redisUrl ?? serviceUrl(Redis));
  redis.searchParams.set('prefix', uniqueRedisPrefix());
  const redisUrl = redis.toString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-scaleout-'));
  deferCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const servers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const urls = opts.via ? await opts.via({ databaseUrl, redisUrl }, i) : { databaseUrl, redisUrl };
      return startServerProcess({ dataDir, env: { ...opts.env, DATABASE_URL: urls.databaseUrl, REDIS_URL: urls.redisUrl } });
    }),
  );
  // startServerProcess's own afterAll is dropped when called inside a test: kill them here too.
  for (const s of servers) deferCleanup(() => s.kill());
  return { servers, databaseUrl, redisUrl };
}

/** The note as PostgreSQL has it (what survives any process), read as the server reads it. */
export const storedNoteText = (databaseUrl: string, sessionId: string): Promise<string> => storedText({ databaseUrl }, sessionId);

/**
 * A TCP load balancer on a free port: each new connection goes to the first backend in `order`
 * that accepts it. Clients connect to one URL and the Host header stays the balancer's, as behind
 * a real proxy, so a reconnecting provider lands on whichever process is alive.
 */
export async function startBalancer(order: number[]): Promise<{ baseUrl: string; order: number[] }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const attempt = (i: number) => {
      const port = order[i];
      if (port === undefined) return client.destroy();
      const upstream = net.connect(port, '127.0.0.1');
      upstream.once('error', () => attempt(i + 1));
      upstream.once('connect', () => {
        sockets.add(upstream);
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  deferCleanup(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { baseUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, order };
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A throwaway redis-server of this test's own, to stop and start without disturbing others. */
export async function startOwnRedis(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  deferCleanup(() => child.kill('SIGKILL'));
  await expect.poll(() => canConnect(port), { timeout: 5_000, interval: 50 }).toBe(true);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Types one paragraph every few ms, remembering which ones the server confirmed as stored: a line
 * is confirmed once a "Saved" state vector covers the clock of the client's own item that holds it.
 */
export function typeSteadily(client: TestClient, prefix: string, everyMs = 5) {
  const confirmed = new Set<string>();
  const typed: string[] = [];
  const clockOf = new Map<string, number>();
  let n = 0;
  const timer = setInterval(() => {
    const text = `${prefix}-${n++}`;
    typed.push(text);
    appendParagraph(client.doc, text);
    clockOf.set(text, Y.getState(client.doc.store, client.doc.clientID));
  }, everyMs);
  const watch = setInterval(() => {
    const stored = client.stored().stateVector.get(client.doc.clientID) ?? 0;
    // In typing order, so in order of clock: the first line not stored ends the lines that are.
    // (Every 2 ms, a walk over all lines not yet stored, thousands while storage was away, took
    // 9 of the 174 CPU-s sampled in tests/faults' vitest workers under load, 7 Dec.)
    for (const [line, clock] of clockOf) {
      if (clock > stored) break;
      confirmed.add(line);
      clockOf.delete(line);
    }
  }, 2);
  return {
    confirmed,
    typed,
    stop: () => {
      clearInterval(timer);
      clearInterval(watch);
    },
  };
}

/** Lines of `text` that are missing from `other` (for readable failures). */
export function missingLines(lines: Iterable<string>, other: string): string[] {
  const have = new Set(other.split('\n'));
  return Array.from(lines).filter((l) => !have.has(l));
}
