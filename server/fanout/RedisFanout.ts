import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { liveEventSchema, type LiveEvent } from '../../shared/domain/supervisor';
import { backoffDelay, type Backoff } from '../backoff';
import type { Logger } from '../log';
import type { Fanout, FanoutMessage } from './Fanout';

/** What a `live` control message must hold; anything else on the channel is dropped. */
const liveControlSchema = z.object({ accountIds: z.array(z.string().max(64)).max(1000), event: liveEventSchema });

/** A message between processes about access, not content: "re-check your connections' rights". */
export type ControlMessage =
  | { kind: 'recheck-access' }
  /** A live event for these accounts' open pages on every process (supervisor/LiveEvents.ts). */
  | { kind: 'live'; accountIds: string[]; event: LiveEvent };

/** Sent by a process that came back from an outage: "publish whole what you hold of these". */
interface ResyncRequest {
  kind: 'resync';
  sessionIds: string[];
}

/** How a process catches up, and helps others catch up, after messages were lost. */
export interface ResyncHooks {
  /** Updates to hand to the session's local subscribers: what other processes stored meanwhile. */
  catchUp(sessionId: string): Promise<Uint8Array[]>;
  /** What this process holds of the session (document state, presence), to publish whole. */
  snapshotOf(sessionId: string): FanoutMessage[];
}

export interface RedisFanoutOptions {
  /**
   * Prefix of every channel and key, so several deployments (or test runs) can share one Redis.
   * Also read from the URL's `prefix` query parameter (`redis://host:6379?prefix=clinic-a`).
   * @default "tandem"
   */
  prefix?: string;
  /** How long a compaction lock lives without renewal (a crashed holder frees it by then). @default 60000 */
  compactionLeaseMs?: number;
  /** Told of every message applied from another process, with publish→delivery lag (metrics). */
  onDelivered?(kind: FanoutMessage['kind'], lagMs: number): void;
}

/** What the Redis transport adds to `Fanout`: the things only several processes need. */
export interface RedisFanout extends Fanout {
  /** Random per process; messages carrying it are this process's own echoes and are dropped. */
  readonly instanceId: string;
  /** Runs `run` only if no other process holds this session's compaction lease; otherwise skips it. */
  withCompactionLock(sessionId: string, run: () => Promise<void>): Promise<void>;
  publishControl(message: ControlMessage): void;
  /** Receives other processes' control messages, and a `recheck-access` after each Redis outage. */
  onControl(handler: (message: ControlMessage) => void): void;
  /**
   * How sessions catch up after an outage, when messages may have been lost both ways. Once Redis
   * is back and this process re-subscribed, it publishes each open session whole, asks the other
   * processes to do the same, and applies what the store has. Whichever of two processes
   * re-subscribes last hears the other's answer, so both end up with each other's state, stored
   * or not; without this, one lost update would leave every later one pending on the other side.
   */
  onResync(hooks: ResyncHooks): void;
}

const FRAME_VERSION = 1;
const KINDS: FanoutMessage['kind'][] = ['update', 'awareness'];
const ID_BYTES = 16;
/** version (1) · kind (1) · instance id (16) · publish time, ms since epoch, float64 BE (8) · payload. */
const HEADER_BYTES = 2 + ID_BYTES + 8;

function encodeFrame(instance: Buffer, message: FanoutMessage): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + message.data.byteLength);
  frame[0] = FRAME_VERSION;
  frame[1] = KINDS.indexOf(message.kind);
  instance.copy(frame, 2);
  frame.writeDoubleBE(Date.now(), 2 + ID_BYTES);
  frame.set(message.data, HEADER_BYTES);
  return frame;
}

function decodeFrame(frame: Buffer): { from: Buffer; publishedAt: number; message: FanoutMessage } | null {
  const kind = KINDS[frame[1] ?? -1];
  if (frame.length < HEADER_BYTES || frame[0] !== FRAME_VERSION || !kind) return null;
  return {
    from: frame.subarray(2, 2 + ID_BYTES),
    publishedAt: frame.readDoubleBE(2 + ID_BYTES),
    message: { kind, data: new Uint8Array(frame.buffer, frame.byteOffset + HEADER_BYTES, frame.length - HEADER_BYTES) },
  };
}

/** Deletes the lock only if it is still ours (a lease that expired may be someone else's now). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** ioredis's waits between reconnects. */
const RECONNECT: Backoff = { firstMs: 100, maxMs: 2_000 };
/** Waits between attempts to re-subscribe and catch up after an outage. */
const RECOVERY: Backoff = { firstMs: 100, maxMs: 5_000 };
/** How long `close` waits for Redis to acknowledge QUIT before dropping the connection. */
const QUIT_TIMEOUT_MS = 1_000;

interface DocSubscription {
  sessionId: string;
  handlers: Set<(message: FanoutMessage) => void>;
  /** Settles once SUBSCRIBE was acknowledged, or at once while Redis is down (recovery subscribes). */
  ready: Promise<void>;
}

/**
 * Connects a publisher and a subscriber connection and subscribes the control channel. Fails if
 * Redis cannot be reached at start (a misconfigured URL should stop the process, not limp on).
 */
export async function createRedisFanout(url: string, log: Logger, options: RedisFanoutOptions = {}): Promise<RedisFanout> {
  const parsed = new URL(url);
  const prefix = options.prefix ?? parsed.searchParams.get('prefix') ?? 'tandem';
  parsed.searchParams.delete('prefix');
  const fanout = new RedisFanoutImpl(parsed.toString(), prefix, log, options);
  try {
    await fanout.start();
  } catch (err) {
    await fanout.close();
    throw new Error(`Redis at ${parsed.host} is unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  return fanout;
}

/**
 * Fan-out over Redis pub/sub: one channel per session (`<prefix>:doc:<sessionId>`), binary frames,
 * own echoes dropped by instance id. Pub/sub forgets what it could not deliver, so on an outage
 * this process keeps serving (and storing) its own clients' edits, says so once, and when Redis is
 * back re-subscribes and catches every subscribed note up (see `onResync`).
 */
class RedisFanoutImpl implements RedisFanout {
  readonly shared = true;
  readonly instanceId: string;
  private readonly instance = randomBytes(ID_BYTES);
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly docs = new Map<string, DocSubscription>();
  private readonly controlHandlers: ((m: ControlMessage) => void)[] = [];
  private readonly controlChannel: string;
  private resync: ResyncHooks | null = null;
  /** Since when Redis has been (partly) unreachable; null while all is well. */
  private outageSince: number | null = null;
  private recovering: Promise<void> | null = null;
  private recoveryTimer: NodeJS.Timeout | null = null;
  /** Recovery attempts that failed in this outage; sets the wait before the next. */
  private recoveryFailures = 0;
  private closing = false;
  private started = false;

  constructor(url: string, private readonly prefix: string, private readonly log: Logger, private readonly options: RedisFanoutOptions) {
    this.instanceId = this.instance.toString('hex');
    this.controlChannel = `${prefix}:control`;
    const common: RedisOptions = {
      lazyConnect: true,
      // Nothing queues up while Redis is away: publishes are dropped (recovery catches up) and
      // lock attempts fail at once (compaction is skipped and tried again later).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      retryStrategy: (attempt) => backoffDelay(attempt - 1, RECONNECT),
    };
    this.pub = new Redis(url, { ...common, connectionName: `tandem-pub-${this.instanceId.slice(0, 8)}` });
    this.sub = new Redis(url, { ...common, autoResubscribe: false, connectionName: `tandem-sub-${this.instanceId.slice(0, 8)}` });
    for (const [role, conn] of [['publisher', this.pub], ['subscriber', this.sub]] as const) {
      conn.on('error', (err: unknown) => this.log.debug(`redis ${role} error`, { err }));
      conn.on('close', () => this.noteOutage(role));
      conn.on('ready', () => this.maybeRecover());
    }
    this.sub.on('messageBuffer', (channel: Buffer, frame: Buffer) => this.handleFrame(channel.toString(), frame));
  }

  async start(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    await this.sub.subscribe(this.controlChannel);
    this.started = true;
  }

  publish(sessionId: string, message: FanoutMessage): void {
    this.send(this.docChannel(sessionId), encodeFrame(this.instance, message));
  }

  subscribe(sessionId: string, onMessage: (message: FanoutMessage) => void): Promise<() => Promise<void>> {
    const channel = this.docChannel(sessionId);
    let entry = this.docs.get(channel);
    if (!entry) {
      entry = { sessionId, handlers: new Set(), ready: this.subscribeChannel(channel, sessionId) };
      this.docs.set(channel, entry);
    }
    entry.handlers.add(onMessage);
    const unsubscribe = async () => {
      const current = this.docs.get(channel);
      if (!current?.handlers.delete(onMessage) || current.handlers.size > 0) return;
      this.docs.delete(channel);
      if (this.sub.status === 'ready') await this.sub.unsubscribe(channel).catch(() => {});
    };
    return entry.ready.then(() => unsubscribe);
  }

  /**
   * Both connections answer a PING within a second, and no outage is being recovered from (until
   * this process re-subscribed, other processes' edits do not reach it, whatever the sockets say).
   */
  async healthy(): Promise<boolean> {
    if (this.outageSince !== null || this.pub.status !== 'ready' || this.sub.status !== 'ready') return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 1_000).unref());
    const answers = (c: Redis) => c.ping().then(() => true, () => false);
    return Promise.race([Promise.all([answers(this.pub), answers(this.sub)]).then((up) => up.every(Boolean)), timeout]);
  }

  async withCompactionLock(sessionId: string, run: () => Promise<void>): Promise<void> {
    const key = `${this.prefix}:lock:compact:${sessionId}`;
    const token = `${this.instanceId}:${randomBytes(8).toString('hex')}`;
    const lease = this.options.compactionLeaseMs ?? 60_000;
    let acquired: boolean;
    try {
      acquired = (await this.pub.set(key, token, 'PX', lease, 'NX')) === 'OK';
    } catch (err) {
      this.log.debug('compaction lock unavailable (Redis unreachable); compaction skipped for now', { sessionId, err });
      return;
    }
    if (!acquired) return;
    // Compaction of a long note can outlast a short lease: keep it while we work.
    const renew = setInterval(() => void this.pub.eval(RENEW, 1, key, token, lease).catch(() => {}), Math.max(50, lease / 3));
    renew.unref();
    try {
      await run();
    } finally {
      clearInterval(renew);
      await this.pub.eval(RELEASE, 1, key, token).catch(() => {});
    }
  }

  publishControl(message: ControlMessage | ResyncRequest): void {
    this.send(this.controlChannel, Buffer.from(JSON.stringify({ v: 1, from: this.instanceId, ...message })));
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.controlHandlers.push(handler);
  }

  onResync(hooks: ResyncHooks): void {
    this.resync = hooks;
  }

  /** Says goodbye to Redis, but never waits on a link that does not answer (shutdown must end). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.recoveryTimer) clearTimeout(this.recoveryTimer);
    await Promise.all(
      [this.pub, this.sub].map(async (c) => {
        if (c.status === 'ready') {
          const timeout = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS).unref());
          await Promise.race([c.quit().catch(() => {}), timeout]);
        }
        c.disconnect();
      }),
    );
  }

  private docChannel(sessionId: string): string {
    return `${this.prefix}:doc:${sessionId}`;
  }

  private send(channel: string, frame: Buffer): void {
    if (this.pub.status !== 'ready') return this.noteOutage('publisher');
    this.pub.publish(channel, frame).catch(() => this.noteOutage('publisher'));
  }

  /**
   * Subscribes, then asks the processes that have the note open to publish it whole. The store
   * alone is not enough for a process opening a note: another process may hold edits it has
   * published but not stored yet (or cannot store while the database is away), and every later
   * edit building on them would stay pending here. The answer also brings their presence.
   */
  private async subscribeChannel(channel: string, sessionId: string): Promise<void> {
    if (this.sub.status !== 'ready') return this.noteOutage('subscriber');
    try {
      await this.sub.subscribe(channel);
    } catch {
      // Lost between the check and the ack: recovery subscribes it and catches the note up.
      return this.noteOutage('subscriber');
    }
    this.publishControl({ kind: 'resync', sessionIds: [sessionId] });
  }

  private handleFrame(channel: string, frame: Buffer): void {
    if (channel === this.controlChannel) return this.handleControl(frame);
    const entry = this.docs.get(channel);
    const decoded = entry && decodeFrame(frame);
    if (!entry || !decoded || decoded.from.equals(this.instance)) return;
    this.options.onDelivered?.(decoded.message.kind, Math.max(0, Date.now() - decoded.publishedAt));
    for (const handler of entry.handlers) handler(decoded.message);
  }

  private handleControl(frame: Buffer): void {
    let parsed: { from?: unknown; kind?: unknown; sessionIds?: unknown; accountIds?: unknown; event?: unknown };
    try {
      parsed = JSON.parse(frame.toString()) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.from === this.instanceId) return;
    if (parsed.kind === 'recheck-access') this.emitControl({ kind: 'recheck-access' });
    if (parsed.kind === 'live') {
      const live = liveControlSchema.safeParse(parsed);
      if (live.success) this.emitControl({ kind: 'live', accountIds: live.data.accountIds, event: live.data.event });
    }
    if (parsed.kind === 'resync' && Array.isArray(parsed.sessionIds)) {
      for (const id of parsed.sessionIds) if (typeof id === 'string' && this.docs.has(this.docChannel(id))) this.publishWhole(id);
    }
  }

  private publishWhole(sessionId: string): void {
    for (const message of this.resync?.snapshotOf(sessionId) ?? []) this.publish(sessionId, message);
  }

  private emitControl(message: ControlMessage): void {
    for (const handler of this.controlHandlers) {
      try {
        handler(message);
      } catch (err) {
        this.log.error('control message handler failed', { err });
      }
    }
  }

  /** Logs once per outage, however many publishes fail meanwhile. */
  private noteOutage(role: 'publisher' | 'subscriber'): void {
    if (!this.started || this.closing) return;
    if (this.outageSince === null) {
      this.outageSince = Date.now();
      this.log.error(
        `Redis connection lost (${role}): serving this process's clients only; their edits are still stored, other processes' edits arrive once Redis is back`,
        { count: this.docs.size },
      );
    }
    // A failed command on a connection that stayed up brings no 'ready' event to recover on.
    this.scheduleRecovery();
  }

  /**
   * The one way recovery is retried: on a timer, with backoff. A connection can look ready while
   * its socket has already ended; every command on it then fails at once, and retrying straight
   * from the failure would spin the event loop (no I/O, so the close that fixes the state never
   * gets processed, and neither do requests or signals).
   */
  private scheduleRecovery(): void {
    if (this.closing || this.outageSince === null || this.recovering || this.recoveryTimer) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = null;
      this.maybeRecover();
    }, backoffDelay(this.recoveryFailures, RECOVERY));
    this.recoveryTimer.unref();
  }

  /** Runs on every 'ready' (ioredis reconnects with a backoff of its own) and on the recovery timer. */
  private maybeRecover(): void {
    if (this.closing || this.outageSince === null || this.recovering) return;
    // Not both up: the 'ready' of the one still down calls again.
    if (this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
    this.recovering = this.recover().finally(() => {
      this.recovering = null;
      // Dropped again while recovering, or the attempt failed: try again after a wait.
      this.scheduleRecovery();
    });
  }

  /** Re-subscribes everything, then catches every subscribed note up and re-checks access. */
  private async recover(): Promise<void> {
    const since = this.outageSince ?? Date.now();
    const channels = [this.controlChannel, ...this.docs.keys()];
    try {
      await this.sub.subscribe(...channels);
    } catch (err) {
      this.recoveryFailures++;
      this.log.warn('re-subscribing after a Redis outage failed; retrying after a wait', { err, n_attempt: this.recoveryFailures });
      return;
    }
    this.outageSince = null;
    this.recoveryFailures = 0;
    this.log.info('Redis connection back; catching up the open notes', { count: this.docs.size, ms: Date.now() - since });
    const entries = Array.from(this.docs.values());
    for (const entry of entries) this.publishWhole(entry.sessionId);
    if (entries.length > 0) this.publishControl({ kind: 'resync', sessionIds: entries.map((e) => e.sessionId) });
    await Promise.all(entries.map((entry) => this.catchUp(entry)));
    this.emitControl({ kind: 'recheck-access' });
  }

  private async catchUp(entry: DocSubscription): Promise<void> {
    if (!this.resync) return;
    try {
      const updates = await this.resync.catchUp(entry.sessionId);
      for (const data of updates) for (const handler of entry.handlers) handler({ kind: 'update', data });
    } catch (err) {
      this.log.error('catching a note up after the Redis outage failed; its clients resync when they reconnect', { sessionId: entry.sessionId, err });
    }
  }
}
