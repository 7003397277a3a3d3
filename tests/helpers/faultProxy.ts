import net from 'node:net';
import { deferCleanup } from './services';

/** One client connection through the proxy and its upstream twin. */
export interface ProxiedConnection {
  readonly id: number;
  /** The first 64 KiB the client sent, as latin1 text: picks a connection out by its handshake. */
  readonly sent: string;
  /** Closes it as a server going away would: FIN to the client, the upstream side dropped. */
  end(): void;
  /** RST to both sides. */
  reset(): void;
}

/** Called with every chunk before it is forwarded; `fromClient` tells the direction. */
export type DataTap = (conn: ProxiedConnection, chunk: Buffer, fromClient: boolean) => void;

/**
 * A TCP proxy between the code under test and a service it depends on, which fails on cue the
 * ways networks do. Faults stay until `heal()`, except `reset()`, which hits the connections of
 * that moment only (what a restarted service or a NAT that forgot its table does).
 */
export interface FaultProxy {
  /** The service's URL with host and port pointing at the proxy (user, path and query kept). */
  readonly url: string;
  connections(): ProxiedConnection[];
  /** How many connections clients have opened to the proxy so far, refused ones (`cut`) included. */
  opened(): number;
  /** Resets every current connection (RST both ways); new ones pass. */
  reset(): void;
  /** Forwards nothing while keeping every socket open, as a dead link does; new connections hang. */
  blackhole(): void;
  /**
   * Freezes the next connection whose client sends a chunk matching `match` (latin1 text): that
   * chunk is forwarded, then nothing more either way while both sockets stay open (one silent
   * connection, the others pass). Resolves with the frozen connection; `heal()` thaws it.
   */
  freezeAfter(match: RegExp): Promise<ProxiedConnection>;
  /**
   * Holds every byte both ways, sockets open, on each connection whose client has sent text
   * matching `match` (latin1), now and on connections opened later, the matching chunk itself
   * forwarded: one kind of connection (a Redis subscriber, by its name) stays silent however
   * often it reconnects, and the others pass. `heal()` thaws them.
   */
  silence(match: RegExp): void;
  /**
   * Drops every byte the service sends on each connection whose client has sent text matching
   * `match`, now and on connections opened later, sockets open: a link that loses replies. What
   * was dropped stays lost after `heal()`.
   */
  lose(match: RegExp): void;
  /**
   * Passes every chunk the service sends through `rewrite` on each connection whose client has sent
   * text matching `match` (latin1), now and on connections opened later: a service (or a proxy in
   * front of it) that answers some commands with errors while the link stays healthy. Until `heal()`.
   */
  rewriteReplies(match: RegExp, rewrite: (reply: Buffer) => Buffer): void;
  /**
   * The next chunk the service sends, on whichever connection, reaches its client as `bytes`
   * instead: a middlebox that garbles what it forwards.
   */
  replaceNextReply(bytes: Buffer): void;
  /** Delays every chunk by `ms` (order kept). */
  slow(ms: number): void;
  /**
   * Forwards every chunk one byte at a time, each byte a write of its own on a later turn of the
   * event loop, order kept: a link that splits every message at every byte. Until `heal()`.
   */
  trickle(): void;
  /** Closes every connection and resets each new one at once: the service is down. */
  cut(): void;
  /** Back to forwarding everything; held data and held connections go through. */
  heal(): void;
  /** Sees every chunk before it is forwarded; returns a function that removes the tap. */
  tap(fn: DataTap): () => void;
  close(): void;
}

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379 };
const SENT_LIMIT = 64 * 1024;

/** Starts a proxy on 127.0.0.1, port 0, in front of the service at `serviceUrl`; closed after the test. */
export async function startFaultProxy(serviceUrl: string): Promise<FaultProxy> {
  const target = new URL(serviceUrl);
  const targetPort = Number(target.port) || DEFAULT_PORTS[target.protocol] || 0;
  if (targetPort === 0) throw new Error(`no port in the ${target.protocol} URL and no default known for it`);
  let mode: 'pass' | 'blackhole' | 'cut' = 'pass';
  let delayMs = 0;
  const taps = new Set<DataTap>();
  const live = new Set<Link>();
  let freezeNext: { match: RegExp; froze: (link: ProxiedConnection) => void } | null = null;
  /** Connections `silence` and `lose` pick, by what their client sent; cleared by `heal()`. */
  let silenced: RegExp | null = null;
  let lossy: RegExp | null = null;
  let rewriting: { match: RegExp; rewrite: (reply: Buffer) => Buffer } | null = null;
  let nextReply: Buffer | null = null;
  let trickling = false;
  let nextId = 1;

  /** A client socket and its upstream; upstream is null while a black hole holds the connection. */
  class Link implements ProxiedConnection {
    readonly id = nextId++;
    sent = '';
    upstream: net.Socket | null = null;
    /** Set by `end()`: the upstream side is dropped, the client's FIN must still go out. */
    private ending = false;
    /** Chunks held while this one connection is frozen (`freezeAfter`), in order, with their direction. */
    frozen: { to: net.Socket; chunk: Buffer }[] | null = null;
    /** Set by `lose`: what the service sends is dropped. */
    losing = false;
    /** When the last chunk each way is due, so delayed chunks keep their order. */
    private readonly due = { up: 0, down: 0 };
    /** Bytes being trickled each way; later chunks queue behind them (also after `heal()`), so order is kept. */
    private readonly trickled = { up: { chunks: 0, done: Promise.resolve() }, down: { chunks: 0, done: Promise.resolve() } };

    constructor(readonly client: net.Socket) {
      client.on('error', () => this.destroy());
      client.on('close', () => this.destroy());
    }

    connect(): void {
      const upstream = net.connect(targetPort, target.hostname);
      this.upstream = upstream;
      upstream.on('error', () => !this.ending && this.destroy());
      upstream.on('close', () => !this.ending && this.destroy());
      this.pump(this.client, upstream, true);
      this.pump(upstream, this.client, false);
    }

    private pump(from: net.Socket, to: net.Socket, fromClient: boolean): void {
      from.on('data', (received: Buffer) => {
        let chunk = received;
        if (!fromClient && nextReply) [chunk, nextReply] = [nextReply, null];
        if (!fromClient && rewriting?.match.test(this.sent)) chunk = rewriting.rewrite(chunk);
        if (fromClient && this.sent.length < SENT_LIMIT) this.sent += chunk.toString('latin1');
        for (const fn of taps) fn(this, chunk, fromClient);
        this.later(fromClient, () => {
          if (this.frozen) return void this.frozen.push({ to, chunk });
          if (!fromClient && this.losing) return;
          if (fromClient && freezeNext?.match.test(chunk.toString('latin1'))) {
            const { froze } = freezeNext;
            freezeNext = null;
            this.frozen = [];
            froze(this);
          }
          if (fromClient) this.pickedOut();
          if (this.trickle(fromClient ? 'up' : 'down', to, chunk)) return;
          if (to.destroyed || to.write(chunk)) return;
          // Back-pressure, as pipe() would: stop reading until the other side drained.
          from.pause();
          to.once('drain', () => mode !== 'blackhole' && from.resume());
        });
      });
      from.on('end', () => this.later(fromClient, () => to.end()));
    }

    /** Queues `chunk` to go byte by byte while trickling (or behind bytes still trickling); false when it goes whole. */
    private trickle(key: 'up' | 'down', to: net.Socket, chunk: Buffer): boolean {
      const way = this.trickled[key];
      if (!trickling && way.chunks === 0) return false;
      way.chunks++;
      to.setNoDelay(true);
      way.done = way.done.then(async () => {
        for (let i = 0; i < chunk.length && !to.destroyed; i++) {
          to.write(chunk.subarray(i, i + 1));
          await new Promise((next) => setImmediate(next));
        }
        way.chunks--;
      });
      return true;
    }

    private later(fromClient: boolean, run: () => void): void {
      const key = fromClient ? 'up' : 'down';
      if (delayMs === 0 && this.due[key] <= Date.now()) return run();
      this.due[key] = Math.max(this.due[key], Date.now() + delayMs);
      setTimeout(run, this.due[key] - Date.now());
    }

    /** Falls under `silence` or `lose` once its client has sent what they pick. */
    pickedOut(): void {
      if (silenced?.test(this.sent) && !this.frozen) this.frozen = [];
      if (lossy?.test(this.sent)) this.losing = true;
    }

    hold(): void {
      this.client.pause();
      this.upstream?.pause();
    }

    release(): void {
      const held = this.frozen ?? [];
      this.frozen = null;
      this.losing = false;
      for (const { to, chunk } of held) if (!to.destroyed) to.write(chunk);
      if (!this.upstream) this.connect();
      this.client.resume();
      this.upstream?.resume();
    }

    end(): void {
      this.ending = true;
      this.upstream?.destroy();
      this.client.end();
    }

    reset(): void {
      if (!this.client.destroyed) this.client.resetAndDestroy();
      if (this.upstream && !this.upstream.destroyed) this.upstream.resetAndDestroy();
      live.delete(this);
    }

    destroy(): void {
      this.client.destroy();
      this.upstream?.destroy();
      live.delete(this);
    }
  }

  let opened = 0;
  const server = net.createServer((client) => {
    opened++;
    if (mode === 'cut') {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const link = new Link(client);
    live.add(link);
    if (mode === 'blackhole') link.hold();
    else link.connect();
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const routed = new URL(serviceUrl);
  routed.hostname = '127.0.0.1';
  routed.port = String((server.address() as net.AddressInfo).port);

  const proxy: FaultProxy = {
    url: routed.toString(),
    connections: () => Array.from(live),
    opened: () => opened,
    reset: () => {
      for (const link of Array.from(live)) link.reset();
    },
    blackhole: () => {
      mode = 'blackhole';
      for (const link of live) link.hold();
    },
    freezeAfter: (match) => new Promise((froze) => {
      freezeNext = { match, froze };
    }),
    silence: (match) => {
      silenced = match;
      for (const link of live) link.pickedOut();
    },
    lose: (match) => {
      lossy = match;
      for (const link of live) link.pickedOut();
    },
    rewriteReplies: (match, rewrite) => {
      rewriting = { match, rewrite };
    },
    replaceNextReply: (bytes) => {
      nextReply = bytes;
    },
    slow: (ms) => {
      delayMs = ms;
    },
    trickle: () => {
      trickling = true;
    },
    cut: () => {
      mode = 'cut';
      for (const link of Array.from(live)) link.destroy();
    },
    heal: () => {
      mode = 'pass';
      delayMs = 0;
      trickling = false;
      freezeNext = null;
      silenced = null;
      lossy = null;
      rewriting = null;
      for (const link of live) link.release();
    },
    tap: (fn) => {
      taps.add(fn);
      return () => taps.delete(fn);
    },
    close: () => {
      for (const link of Array.from(live)) link.destroy();
      server.close();
    },
  };
  deferCleanup(() => proxy.close());
  return proxy;
}
