import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ThreadError, threadFailure, type WireError } from './threadError';
import { workerStart } from './workerEntry';

type Reply<Res> = { id: number; result?: Res; error?: WireError } | { ready: true };

/** The code of a request's rejection when the thread did not answer within its bound. */
export const THREAD_TIMEOUT = 'TANDEM_THREAD_TIMEOUT';

/** How long a thread may take to close before it is stopped outright. */
const CLOSE_TIMEOUT_MS = 5_000;

interface Waiter<Res> {
  worker: Worker;
  resolve(r: Res): void;
  reject(e: Error): void;
  /** Set for a request with a bound (see `request`). */
  bound?: NodeJS.Timeout;
}

/**
 * A copy of a log entry (or snapshot) holding exactly its bytes. Posting a view to a thread copies
 * its whole buffer, often a pooled slab many times its size.
 */
export const exactCopy = <T extends { data: Uint8Array }>(e: T): T => ({ ...e, data: new Uint8Array(e.data) });

/**
 * How long a thread for occasional work (compaction, big updates, PDF exports) stays after its
 * last job. Starting one costs tens of milliseconds of a core; while notes are typed in it is
 * asked every few seconds and stays.
 */
export const IDLE_THREAD_MS = 30_000;

export interface ThreadOptions {
  /**
   * Ends the thread once it has owed nothing for this long (ms); the next request starts a new
   * one. For work that comes in bursts (compaction, big updates): an idle thread keeps its
   * isolate and the heap its last job grew, megabytes of RSS doing nothing. Unset: never.
   */
  endWhenIdleMs?: number;
  /**
   * The thread's heap bounds: a request that needs more ends the thread (its requests are rejected
   * with ERR_WORKER_OUT_OF_MEMORY) instead of growing the process. Unset: Node's defaults.
   */
  resourceLimits?: ResourceLimits;
}

/**
 * Runs requests on one long-lived worker thread, so work that blocks (an fsync, merging a long
 * Yjs history) does not stall the event loop that relays keystrokes. The worker starts on
 * `start()` or the first request; if it dies, the requests it held are rejected (callers retry)
 * and the next request starts a new one.
 */
export class ThreadClient<Req, Res> {
  private worker: { thread: Worker; ready: Promise<void> } | null = null;
  private closed = false;
  private nextId = 1;
  private readonly inFlight = new Map<number, Waiter<Res>>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly entry: URL,
    private readonly workerData: unknown = null,
    private readonly options: ThreadOptions = {},
  ) {}

  /** Whether a thread is running (started, and not ended: closed, died or idle too long). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Starts the thread if it is not running; resolves once it has loaded its entry and serves. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`worker thread ${this.entry.pathname} was closed`));
    return (this.worker ?? this.spawn()).ready;
  }

  /**
   * Resolves with the thread's answer. With `timeoutMs`, rejects with code `TANDEM_THREAD_TIMEOUT`
   * once it has waited that long (ms) unanswered, and drops a later answer: the thread may still be
   * carrying the request out, so the rejection does not mean it was not done.
   */
  request(req: Req, timeoutMs?: number): Promise<Res> {
    if (this.closed) return Promise.reject(new Error(`worker thread ${this.entry.pathname} was closed`));
    const worker = (this.worker ?? this.spawn()).thread;
    this.stopIdleTimer();
    const id = this.nextId++;
    // Referenced only while it owes an answer: an idle thread must not keep a stopping process
    // alive, and one that is writing must not be cut off by the process exiting under it.
    worker.ref();
    return new Promise<Res>((resolve, reject) => {
      const waiter: Waiter<Res> = { worker, resolve, reject };
      this.inFlight.set(id, waiter);
      worker.postMessage({ id, req });
      if (timeoutMs === undefined) return;
      waiter.bound = setTimeout(() => {
        this.settle(id, worker);
        const name = path.basename(this.entry.pathname);
        reject(Object.assign(new Error(`worker thread ${name} did not answer within ${timeoutMs} ms`), { code: THREAD_TIMEOUT }));
      }, timeoutMs);
    });
  }

  /** Forgets request `id` of `worker`, which now owes one answer less. */
  private settle(id: number, worker: Worker): Waiter<Res> | undefined {
    const waiter = this.inFlight.get(id);
    if (!waiter) return undefined;
    this.inFlight.delete(id);
    clearTimeout(waiter.bound);
    if (!this.owes(worker)) worker.unref();
    this.idle(worker);
    return waiter;
  }

  /**
   * Stops the thread, letting it close what it holds (a database connection) first; requests
   * still in flight are rejected, so callers drain theirs first.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stopIdleTimer();
    const worker = this.worker?.thread;
    this.worker = null;
    if (worker) await this.end(worker);
  }

  /** Asks `worker` to close what it holds and exit; stops it outright if it does not. */
  private async end(worker: Worker): Promise<void> {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true });
    const stuck = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(stuck);
  }

  /** The worker owes nothing now: with `endWhenIdleMs`, it ends unless a request comes first. */
  private idle(worker: Worker): void {
    const ms = this.options.endWhenIdleMs;
    if (ms === undefined || this.owes(worker)) return;
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker?.thread !== worker || this.owes(worker)) return;
      // Forgotten first: a request from now on starts a new thread, and this one's exit is not a failure of it.
      this.worker = null;
      void this.end(worker);
    }, ms);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private spawn(): { thread: Worker; ready: Promise<void> } {
    const start = workerStart(this.entry);
    const limits = this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {};
    const worker =
      start.kind === 'compiled'
        ? new Worker(start.url, { workerData: { data: this.workerData }, ...limits })
        : new Worker(TSX_BOOTSTRAP, { eval: true, workerData: { entry: start.url.href, tsx: TSX_API(), data: this.workerData }, ...limits });
    let serving = () => {};
    let broken = (_err: Error) => {};
    const ready = new Promise<void>((resolve, reject) => {
      serving = resolve;
      broken = reject;
    });
    // A thread nobody awaited the start of reports its failure through its requests instead.
    ready.catch(() => {});
    worker.on('message', (reply: Reply<Res>) => {
      if ('ready' in reply) {
        // Referenced until now, so a caller awaiting `start()` is not left behind by an idle exit.
        if (!this.owes(worker)) worker.unref();
        this.idle(worker);
        serving();
        return;
      }
      const waiter = this.settle(reply.id, worker);
      if (!waiter) return;
      if (reply.error !== undefined) waiter.reject(new ThreadError(reply.error));
      else waiter.resolve(reply.result as Res);
    });
    const fail = (err: Error) => {
      broken(err);
      if (this.worker?.thread === worker) this.worker = null;
      for (const [id, waiter] of this.inFlight) {
        if (waiter.worker !== worker) continue;
        this.inFlight.delete(id);
        clearTimeout(waiter.bound);
        waiter.reject(err);
      }
    };
    worker.on('error', (err: unknown) => fail(threadFailure(path.basename(this.entry.pathname), err)));
    worker.on('exit', (code) => fail(new Error(`worker thread ${this.entry.pathname} exited with code ${code}`)));
    this.worker = { thread: worker, ready };
    return this.worker;
  }

  private owes(worker: Worker): boolean {
    for (const waiter of this.inFlight.values()) if (waiter.worker === worker) return true;
    return false;
  }
}

/**
 * A server running from TypeScript without compiled workers (`npm run dev`) runs their entries
 * through tsx. Node 20 does not carry a `--import` loader into worker threads, so such a thread
 * starts from this script and imports its entry through tsx's API. Resolved only when used: the
 * compiled server does not need tsx installed.
 */
const TSX_API = (): string => import.meta.resolve('tsx/esm/api');
const TSX_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));
`;
