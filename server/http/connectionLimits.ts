import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ConnectionBounds } from '../config';
import type { Logger } from '../log';
import { BurstLog } from '../ops/burstLog';

/** Why a connection was closed as it came: the process held its bound, or the peer's address held its own. */
export type Refusal = 'process' | 'address';
/** What a peer did not finish in time: a request (its headers or body), or the websocket upgrade we were deciding. */
export type Timeout = 'request' | 'upgrade';

/** From this share of the bound on, /healthz says the process is near it. */
const NEAR_SHARE = 0.8;

/** How connections stand against their bound, for /healthz. */
export interface ConnectionLoad {
  open: number;
  max: number;
  state: 'ok' | 'near_cap';
}

/**
 * `http.createServer` options that bound how long a peer may take to send a request. Node checks
 * them every `connectionsCheckingInterval` (30 s by default, on top of a 60 s headers timeout: a
 * silent socket was held up to 90 s). Checked four times per headers timeout, at most once a second.
 */
export function requestBounds(bounds: ConnectionBounds): http.ServerOptions {
  return {
    headersTimeout: bounds.headersTimeoutMs,
    requestTimeout: bounds.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(bounds.headersTimeoutMs / 4))),
  };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) and `10.0.0.1` are one address. */
function peerAddress(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

const STATUS_LINES: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
};

/**
 * Bounds the TCP connections one process holds, so no peer can take the descriptors everyone
 * needs (attack, 6 Dec: ~10,500 connections sending their headers a byte at a time, or nothing,
 * ran the process out of descriptors; every new connection failed, for every clinician, and
 * nothing told the operator). Past `max` in all, or `perAddress` from one address, a new
 * connection takes the place of the oldest idle one (no request in flight, no websocket: silent,
 * headers still coming, or kept alive between requests), which is closed unanswered; only when
 * every connection is busy is the newcomer closed as it comes (never queued). Refusing newcomers
 * alone left a flood from many addresses holding the bound until its sockets timed out, keeping
 * every new page and login out meanwhile (6 Dec). A request not complete in time is answered 408
 * and closed (requestBounds). Each is counted on /metrics and logged once per burst.
 */
export class ConnectionLimits {
  /** Every connection counted in, with its peer's address. */
  private readonly counted = new Map<Socket, string>();
  private readonly byAddress = new Map<string, number>();
  /** Idle connections, oldest first (a Set keeps insertion order), in all and per address. */
  private readonly idle = new Set<Socket>();
  private readonly idleByAddress = new Map<string, Set<Socket>>();
  private readonly refused: Counter<'reason'>;
  private readonly timedOut: Counter<'reason'>;
  private readonly refusalLogs: Record<Refusal, BurstLog>;
  private readonly timeoutLogs: Record<Timeout, BurstLog>;

  constructor(server: http.Server, private readonly bounds: ConnectionBounds, log: Logger, registry: Registry) {
    const limits = this;
    new Gauge({
      name: 'tandem_tcp_connections', help: 'TCP connections open on this process (requests, keep-alive, websockets).', registers: [registry],
      collect() {
        this.set(limits.counted.size);
      },
    });
    new Gauge({ name: 'tandem_tcp_connections_max', help: 'TANDEM_MAX_CONNECTIONS: past it, a new connection displaces the oldest idle one, or is closed as it comes.', registers: [registry] }).set(bounds.max);
    this.refused = new Counter({
      name: 'tandem_tcp_connections_refused_total',
      help: 'Connections closed unanswered to stay within TANDEM_MAX_CONNECTIONS (process) or TANDEM_MAX_CONNECTIONS_PER_ADDRESS (address): the oldest idle one a newcomer displaced, or the newcomer when none was idle.',
      labelNames: ['reason'] as const, registers: [registry],
    });
    this.timedOut = new Counter({
      name: 'tandem_tcp_connections_timed_out_total', help: 'Connections closed for not finishing in time: a request (its headers or body; 408) or a websocket upgrade still undecided (4503).',
      labelNames: ['reason'] as const, registers: [registry],
    });
    for (const reason of ['process', 'address'] as const) this.refused.inc({ reason }, 0);
    for (const reason of ['request', 'upgrade'] as const) this.timedOut.inc({ reason }, 0);
    this.refusalLogs = {
      process: new BurstLog(log, 'connections refused: the process holds its bound of connections', { n_limit: bounds.max }),
      address: new BurstLog(log, 'connections refused: one address holds its bound of connections', { n_limit: bounds.perAddress }),
    };
    this.timeoutLogs = {
      request: new BurstLog(log, 'connections closed: a request not complete in time', { n_limit_ms: bounds.headersTimeoutMs }),
      upgrade: new BurstLog(log, 'websocket upgrades closed: not decided in time (storage slow?)', { n_limit_ms: bounds.upgradeTimeoutMs }),
    };
    // Not Node's maxConnections: it closes a newcomer before any event, so none could displace an idle one.
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      // Busy once the whole request is in: a body sent a byte at a time (held up to the request
      // timeout) must stay displaceable. Node sets `complete` for a request without a body right
      // after this event, in the same parse.
      const busy = () => {
        if (!res.writableFinished) this.setIdle(req.socket, false);
      };
      queueMicrotask(() => (req.complete ? busy() : req.once('end', busy)));
      // Kept alive after its answer, it is idle again, among the youngest.
      res.once('finish', () => this.setIdle(req.socket, true));
    });
    server.on('upgrade', (req: http.IncomingMessage) => this.setIdle(req.socket, false));
    server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => this.answerClientError(err, socket));
  }

  /** How connections stand against the bound. */
  load(): ConnectionLoad {
    const open = this.counted.size;
    return { open, max: this.bounds.max, state: open >= NEAR_SHARE * this.bounds.max ? 'near_cap' : 'ok' };
  }

  /** A websocket upgrade was not decided in time and was closed (upgrade.ts). */
  upgradeTimedOut(remoteAddress: string | undefined): void {
    this.timedOut.inc({ reason: 'upgrade' });
    this.timeoutLogs.upgrade.note(peerAddress(remoteAddress));
  }

  stop(): void {
    for (const burst of [...Object.values(this.refusalLogs), ...Object.values(this.timeoutLogs)]) burst.stop();
  }

  private admit(socket: Socket): void {
    const address = peerAddress(socket.remoteAddress);
    if ((this.byAddress.get(address) ?? 0) >= this.bounds.perAddress && !this.displace('address', this.idleByAddress.get(address))) return this.turnAway('address', address, socket);
    if (this.counted.size >= this.bounds.max && !this.displace('process', this.idle)) return this.turnAway('process', address, socket);
    this.counted.set(socket, address);
    this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    this.setIdle(socket, true);
    socket.once('close', () => this.release(socket));
  }

  /** Closes the oldest of `idle`, if any, to make room; false when there is none. */
  private displace(reason: Refusal, idle: Set<Socket> | undefined): boolean {
    const oldest = idle?.values().next().value;
    if (oldest === undefined) return false;
    const address = this.counted.get(oldest);
    // Released now, not at its 'close' event (a tick later): the newcomer takes its place at once.
    this.release(oldest);
    oldest.destroy();
    this.refuse(reason, address ?? 'unknown');
    return true;
  }

  private turnAway(reason: Refusal, address: string, socket: Socket): void {
    this.refuse(reason, address);
    socket.destroy();
  }

  private setIdle(socket: Socket, idle: boolean): void {
    const address = this.counted.get(socket);
    if (address === undefined) return;
    let fromAddress = this.idleByAddress.get(address);
    if (idle && !socket.destroyed) {
      this.idle.add(socket);
      if (!fromAddress) this.idleByAddress.set(address, (fromAddress = new Set()));
      fromAddress.add(socket);
      return;
    }
    this.idle.delete(socket);
    fromAddress?.delete(socket);
    if (fromAddress?.size === 0) this.idleByAddress.delete(address);
  }

  /** Counts `socket` out, once, whether it closed or was displaced. */
  private release(socket: Socket): void {
    const address = this.counted.get(socket);
    if (address === undefined) return;
    this.setIdle(socket, false);
    this.counted.delete(socket);
    const left = (this.byAddress.get(address) ?? 1) - 1;
    if (left > 0) this.byAddress.set(address, left);
    else this.byAddress.delete(address);
  }

  private refuse(reason: Refusal, address: string): void {
    this.refused.inc({ reason });
    this.refusalLogs[reason].note(address);
  }

  /**
   * Node's own answer to a request it could not read (a listener replaces it), with timeouts
   * counted: 408 for one not complete in time, 431 or 413 for headers too large, else 400; nothing
   * once an answer has begun. Then the socket is closed.
   */
  private answerClientError(err: Error & { code?: string }, socket: Duplex): void {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      this.timedOut.inc({ reason: 'request' });
      this.timeoutLogs.request.note(peerAddress((socket as Socket).remoteAddress));
    }
    if (socket.writable && (socket as Socket).bytesWritten === 0) {
      socket.write(`HTTP/1.1 ${STATUS_LINES[err.code ?? ''] ?? '400 Bad Request'}\r\nConnection: close\r\n\r\n`);
    }
    socket.destroy();
  }
}
