import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditQueue } from '../audit/AuditQueue';
import type { CollabDeps, CollabServer } from '../collab/CollabServer';
import type { WriteGuard } from '../collab/writeGate';
import type { FanoutMessage } from '../fanout/Fanout';
import type { DocStore } from '../persistence/ports';
import type { PasswordWorkRefusal } from '../auth/passwordWork';

/** What the process holds for peers, by what it is (see HeldBytes). */
export type HeldKind = 'websocket' | 'request' | 'queued';

/** Lags we care about run from a few ms (healthy) to many seconds (an outage being retried). */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * One server's Prometheus metrics, in a registry of its own (never prom-client's global one), so
 * two servers in one test process each count their own. Counting happens at seams the server
 * already has: the write guards, the document store, and the fan-out's delivery callback.
 */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Connection and loaded-note gauges read `collab.stats` at scrape time. */
  trackCollab(collab: CollabServer): void;
  /** The audit records waiting to be written (storage refusing them) read `queue.size` at scrape time. */
  trackAudit(queue: AuditQueue): void;
  /** What peers make the process hold (unfinished websocket messages, request bodies being read), read at scrape time. */
  trackHeld(kind: HeldKind, held: { readonly bytes: number }): void;
  /** Counts a peer dropped for holding more than a bound (HeldBytes' `onDropped`). */
  heldDropped(kind: HeldKind): void;
  /** The password derivations waiting for a place (PasswordWork) read `work.waiting` at scrape time. */
  trackPasswords(work: { readonly waiting: number }): void;
  /** Counts a password derivation refused before any work (PasswordWork's `onRefused`). */
  passwordRefused(why: PasswordWorkRefusal): void;
  /** Counts connections opened, peers dropped for not answering, messages over the limit, and messages whose handling failed. */
  readonly collabEvents: Required<Pick<CollabDeps, 'onConnectionOpened' | 'onUnanswered' | 'onOverLimit' | 'onServerError'>>;
  /** Counts refusals per code, and updates that passed every guard (they are applied next). */
  countGuards(guards: WriteGuard[]): WriteGuard[];
  /** Times each append from enqueue (`entry.at`) to durable, and counts failed writes. */
  instrumentDocStore(store: DocStore): DocStore;
  /** For the fan-out: a message from another process was applied, `lagMs` after it was published. */
  fanoutDelivered(kind: FanoutMessage['kind'], lagMs: number): void;
}

/** A fresh registry with Tandem's metrics and Node's process metrics (prefixed `tandem_`). */
export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tandem_' });
  let collab: CollabServer | null = null;
  let audit: AuditQueue | null = null;
  let passwords: { readonly waiting: number } | null = null;
  const held = new Map<HeldKind, { readonly bytes: number }>();

  new Gauge({
    name: 'tandem_connections', help: 'Open sync connections on this process.', registers: [registry],
    collect() {
      this.set(collab?.stats.connections ?? 0);
    },
  });
  new Gauge({
    name: 'tandem_loaded_documents', help: 'Notes loaded in memory on this process.', registers: [registry],
    collect() {
      this.set(collab?.stats.docs ?? 0);
    },
  });
  new Gauge({
    name: 'tandem_audit_records_queued', help: 'Audit records waiting to be written (kept and retried while storage refuses them).', registers: [registry],
    collect() {
      this.set(audit?.size ?? 0);
    },
  });
  new Gauge({
    name: 'tandem_held_bytes', help: 'Bytes peers make the process hold: websocket messages begun and not finished, request bodies being read, bytes queued for peers that do not read.',
    labelNames: ['kind'] as const, registers: [registry],
    collect() {
      for (const [kind, h] of held) this.set({ kind }, h.bytes);
    },
  });
  const heldDropped = new Counter({
    name: 'tandem_held_dropped_total', help: 'Peers dropped for holding more than their bound or the process’s (websocket: closed 4029; request: its connection destroyed; queued: its socket dropped).',
    labelNames: ['kind'] as const, registers: [registry],
  });
  heldDropped.inc({ kind: 'websocket' }, 0);
  heldDropped.inc({ kind: 'request' }, 0);
  heldDropped.inc({ kind: 'queued' }, 0);
  new Gauge({
    name: 'tandem_password_checks_waiting', help: 'Password derivations (logins, password changes, new accounts) waiting for a place.', registers: [registry],
    collect() {
      this.set(passwords?.waiting ?? 0);
    },
  });
  const passwordRefused = new Counter({
    name: 'tandem_password_checks_refused_total', help: 'Password derivations refused before any work: address (its share running, 429) or busy (every place taken, 503).',
    labelNames: ['reason'] as const, registers: [registry],
  });
  passwordRefused.inc({ reason: 'address' }, 0);
  passwordRefused.inc({ reason: 'busy' }, 0);
  const applied = new Counter({
    name: 'tandem_updates_applied_total', help: 'Document updates applied, by where they came from (a client here, or another process).',
    labelNames: ['source'] as const, registers: [registry],
  });
  const refused = new Counter({
    name: 'tandem_updates_refused_total', help: 'Client updates refused by a write guard, by refusal code.', labelNames: ['code'] as const, registers: [registry],
  });
  const stored = new Counter({ name: 'tandem_updates_stored_total', help: 'Document updates made durable.', registers: [registry] });
  const failedWrites = new Counter({
    name: 'tandem_store_writes_failed_total', help: 'Document writes that failed (they are kept in memory and retried).', registers: [registry],
  });
  const persistenceLag = new Histogram({
    name: 'tandem_persistence_lag_seconds', help: 'From an update being queued for storage to it being durable.', buckets: LAG_BUCKETS, registers: [registry],
  });
  const fanoutLag = new Histogram({
    name: 'tandem_fanout_lag_seconds', help: 'From another process publishing a message to this one receiving it (wall clocks of both).',
    labelNames: ['kind'] as const, buckets: LAG_BUCKETS, registers: [registry],
  });
  const opened = new Counter({
    name: 'tandem_connections_opened_total', help: 'Sync connections opened (a reconnecting client counts each time).', registers: [registry],
  });
  const unanswered = new Counter({
    name: 'tandem_connections_unanswered_total', help: 'Sync connections dropped because the peer stopped answering pings.', registers: [registry],
  });
  const overLimit = new Counter({
    name: 'tandem_messages_over_limit_total', help: 'Client messages over TANDEM_MAX_MESSAGE_BYTES (their connection was closed with 4413).', registers: [registry],
  });
  const serverErrors = new Counter({
    name: 'tandem_messages_failed_total', help: 'Client messages whose handling failed inside the server (a defect: logged as an error, its connection closed with 1011, the process went on).', registers: [registry],
  });
  // Present from the first scrape, so rate() and alerts work before anything happened.
  applied.inc({ source: 'connection' }, 0);
  applied.inc({ source: 'fanout' }, 0);

  return {
    registry,
    trackCollab: (c) => {
      collab = c;
    },
    trackAudit: (queue) => {
      audit = queue;
    },
    trackHeld: (kind, h) => {
      held.set(kind, h);
    },
    heldDropped: (kind) => heldDropped.inc({ kind }),
    trackPasswords: (work) => {
      passwords = work;
    },
    passwordRefused: (reason) => passwordRefused.inc({ reason }),
    collabEvents: {
      onConnectionOpened: () => opened.inc(),
      onUnanswered: () => unanswered.inc(),
      onOverLimit: () => overLimit.inc(),
      onServerError: () => serverErrors.inc(),
    },
    countGuards: (guards) => [
      ...guards.map((guard): WriteGuard => (ctx) => {
        const refusal = guard(ctx);
        if (refusal) refused.inc({ code: refusal.code });
        return refusal;
      }),
      () => {
        applied.inc({ source: 'connection' });
        return null;
      },
    ],
    instrumentDocStore: (store) => ({
      load: (docId, tailLimit) => store.load(docId, tailLimit),
      readLog: (docId, afterSeq) => store.readLog(docId, afterSeq),
      logTimes: (docId) => store.logTimes(docId),
      compact: (docId, snapshot, merged, afterSeq) => store.compact(docId, snapshot, merged, afterSeq),
      stats: (docId) => store.stats(docId),
      append: async (docId, entries) => {
        try {
          await store.append(docId, entries);
        } catch (err) {
          failedWrites.inc();
          throw err;
        }
        const now = Date.now();
        stored.inc(entries.length);
        for (const e of entries) persistenceLag.observe(Math.max(0, now - e.at) / 1000);
      },
    }),
    fanoutDelivered: (kind, lagMs) => {
      if (kind === 'update') applied.inc({ source: 'fanout' });
      fanoutLag.observe({ kind }, lagMs / 1000);
    },
  };
}
