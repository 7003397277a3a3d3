import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log';
import { RedisLinks } from '../redisLinks';
import { closeRedis, splitRedisUrl } from '../redisOptions';
import type { Fanout, FanoutMessage } from './Fanout';
import { OutageRecovery, type LiveSharing } from './outageRecovery';
import { decodeControl, encodeControl, publishCheck, type ControlMessage, type ResyncHooks, type ResyncRequest } from './redisControl';
import { decodeFrame, encodeFrame, INSTANCE_ID_BYTES } from './redisFrames';

export type { ControlMessage, ResyncHooks } from './redisControl';

export interface RedisFanoutOptions {
  /**
   * Prefix of every channel, so several deployments (or test runs) can share one Redis. Also
   * read from the URL's `prefix` query parameter (`redis://host:6379?prefix=clinic-a`).
   * @default "tandem"
   */
  prefix?: string;
  /** Told of every message applied from another process, with publish→delivery lag (metrics). */
  onDelivered?(kind: FanoutMessage['kind'], lagMs: number): void;
  /** Where the process's Redis connections are opened and watched. @default links of its own */
  links?: RedisLinks;
}

/** What the Redis transport adds to `Fanout`: the things only several processes need. */
export interface RedisFanout extends Fanout {
  /** Random per process; messages carrying it are this process's own echoes and are dropped. */
  readonly instanceId: string;
  publishControl(message: ControlMessage): void;
  /** Receives other processes' control messages, and a `caught-up` after each Redis outage of its own. */
  onControl(handler: (message: ControlMessage) => void): void;
  /**
   * How sessions catch up after an outage, when messages may have been lost both ways. Once Redis
   * is back and this process re-subscribed, it publishes each open session whole, asks the other
   * processes to do the same, and applies what the store has. Whichever of two processes
   * re-subscribes last hears the other's answer, so both end up with each other's state, stored
   * or not; without this, one lost update would leave every later one pending on the other side.
   */
  onResync(hooks: ResyncHooks): void;
  readonly liveSharing: LiveSharing;
}

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
  const split = splitRedisUrl(url);
  const fanout = new RedisFanoutImpl(split.url, options.prefix ?? split.prefix, log, options);
  try {
    await fanout.start();
  } catch (err) {
    await fanout.close();
    throw new Error(`Redis at ${new URL(split.url).host} is unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  return fanout;
}

/**
 * Fan-out over Redis pub/sub: one channel per session (`<prefix>:doc:<sessionId>`), binary frames,
 * own echoes dropped by instance id. Pub/sub forgets what it could not deliver, so on an outage
 * this process keeps serving (and storing) its own clients' edits, says so once, and when Redis is
 * back re-subscribes and catches every subscribed note up (see `onResync` and OutageRecovery).
 */
class RedisFanoutImpl implements RedisFanout {
  readonly shared = true;
  readonly instanceId: string;
  private readonly instance = randomBytes(INSTANCE_ID_BYTES);
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly docs = new Map<string, DocSubscription>();
  private readonly controlHandlers: ((m: ControlMessage) => void)[] = [];
  private readonly controlChannel: string;
  private readonly recovery: OutageRecovery;
  readonly liveSharing: LiveSharing;
  private resync: ResyncHooks | null = null;
  private started = false;

  constructor(url: string, private readonly prefix: string, private readonly log: Logger, private readonly options: RedisFanoutOptions,
    private readonly links = options.links ?? new RedisLinks(log)) {
    this.instanceId = this.instance.toString('hex');
    this.controlChannel = `${prefix}:control`;
    const name = this.instanceId.slice(0, 8);
    // Nothing queues up while Redis is away: publishes are dropped (recovery catches up). Silence is an outage too.
    const events = (role: 'publisher' | 'subscriber') => ({ lost: (err?: unknown) => this.noteOutage(role, err), back: () => this.recovery.tryNow() });
    this.pub = this.links.open(url, `tandem-pub-${name}`, 'publisher', events('publisher'));
    this.sub = this.links.open(url, `tandem-sub-${name}`, 'subscriber', events('subscriber'), { autoResubscribe: false });
    this.recovery = new OutageRecovery({
      log,
      connected: () => this.links.answers(this.pub) && this.links.answers(this.sub),
      resubscribe: () => this.sub.subscribe(this.controlChannel, ...this.docs.keys()).then(() => undefined),
      publishes: () => this.pub.publish(this.controlChannel, publishCheck(this.instanceId)).then(() => undefined),
      answersNow: async () => (await Promise.all([this.links.answersNow(this.pub), this.links.answersNow(this.sub)])).every(Boolean),
      catchUp: (outageMs) => this.afterOutage(outageMs),
      subscribed: () => this.docs.size,
    });
    this.liveSharing = this.recovery;
    this.sub.on('messageBuffer', (channel: Buffer, frame: Buffer) => this.handleFrame(channel.toString(), frame));
  }

  get interrupted(): boolean { return this.recovery.interrupted; }

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
    if (this.recovery.interrupted || !this.links.answers(this.pub) || !this.links.answers(this.sub)) return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 1_000).unref());
    const answers = (c: Redis) => c.ping().then(() => true, () => false);
    return Promise.race([Promise.all([answers(this.pub), answers(this.sub)]).then((up) => up.every(Boolean)), timeout]);
  }

  requestWhole = (sessionId: string): void => this.publishControl({ kind: 'resync', sessionIds: [sessionId] });
  publishControl(message: ControlMessage | ResyncRequest): void {
    this.send(this.controlChannel, encodeControl(this.instanceId, message));
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.controlHandlers.push(handler);
  }

  onResync(hooks: ResyncHooks): void {
    this.resync = hooks;
  }

  async close(): Promise<void> {
    this.recovery.stop();
    await Promise.all([closeRedis(this.pub), closeRedis(this.sub)]);
  }

  private docChannel = (sessionId: string): string => `${this.prefix}:doc:${sessionId}`;

  private send(channel: string, frame: Buffer): void {
    if (this.pub.status !== 'ready') return this.noteOutage('publisher');
    this.pub.publish(channel, frame).catch((err: unknown) => this.noteOutage('publisher', err));
  }

  /** Outages before the start completed are the start's failure, not something to recover from. */
  private noteOutage(role: 'publisher' | 'subscriber', err?: unknown): void {
    if (this.started) this.recovery.noteOutage(role, err);
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
    this.requestWhole(sessionId);
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
    const message = decodeControl(frame, this.instanceId);
    if (message?.kind === 'resync') {
      for (const id of message.sessionIds) if (this.docs.has(this.docChannel(id))) this.publishWhole(id);
    } else if (message) this.emitControl(message);
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

  /**
   * Once re-subscribed: catches every subscribed note up both ways, and has every process (this
   * one too) act on the control messages the outage swallowed, whichever way they went.
   */
  private async afterOutage(outageMs: number): Promise<void> {
    this.log.info('Redis connection back; catching up the open notes', { count: this.docs.size, ms: outageMs });
    const entries = Array.from(this.docs.values());
    for (const entry of entries) this.publishWhole(entry.sessionId);
    if (entries.length > 0) this.publishControl({ kind: 'resync', sessionIds: entries.map((e) => e.sessionId) });
    this.publishControl({ kind: 'caught-up' });
    await Promise.all(entries.map((entry) => this.catchUp(entry)));
    this.emitControl({ kind: 'caught-up' });
  }

  private async catchUp(entry: DocSubscription): Promise<void> {
    const updates = await (this.resync?.catchUp(entry.sessionId) ?? Promise.resolve([])).catch((err: unknown) => {
      this.log.error('catching a note up after the Redis outage failed; its clients resync when they reconnect', { sessionId: entry.sessionId, err });
      return [];
    });
    for (const data of updates) for (const handler of entry.handlers) handler({ kind: 'update', data });
  }
}
