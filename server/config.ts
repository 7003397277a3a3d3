import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HEARTBEAT_MS } from '../shared/protocol/liveness';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../shared/protocol/messageSize';
import { parseKey, type EncryptionKeys } from './persistence/sealer';
import { defaultConnectionCap, defaultPerAddressCap } from './ops/connectionCap';

/** Bounds on PostgreSQL waits, in ms (TANDEM_PG_STATEMENT_TIMEOUT_MS, TANDEM_PG_LOCK_TIMEOUT_MS; see createPool). */
export interface PostgresTimeouts {
  statementMs: number;
  lockMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { statementMs: 10_000, lockMs: 20_000 };

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number) => z.coerce.number().int().min(min);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every setting the server reads, validated once at start. This module is the only reader of
 * process.env: everything else receives a `Config`, so two servers can run in one test process.
 */
const envSchema = z.object({
  /** HTTP and websocket port. 0 picks a free port (tests). @default 8080 */
  PORT: int(0).max(65535).default(8080),
  /** Interface to listen on. @default "0.0.0.0" */
  HOST: z.string().default('0.0.0.0'),
  /** Where the SQLite database lives when DATABASE_URL is not set. @default "./data" */
  TANDEM_DATA_DIR: z.string().default('./data'),
  /** postgres://… selects PostgreSQL instead of SQLite. */
  DATABASE_URL: z.string().url().optional(),
  /** redis://… enables fan-out between several server processes. */
  REDIS_URL: z.string().url().optional(),
  /** Largest websocket message accepted, in bytes. @default 10 MiB */
  TANDEM_MAX_MESSAGE_BYTES: int(1024).default(DEFAULT_MAX_MESSAGE_BYTES),
  /**
   * Ping every client this often; one that has not answered the previous ping by the next is
   * dropped (its network died without closing), so it holds no presence or note. @default 10000
   */
  TANDEM_PING_INTERVAL_MS: int(100).default(10_000),
  /**
   * Send every client a heartbeat this often; a client that hears nothing for twice this plus a
   * second reconnects. At most 10 s: the stock y-websocket provider gives up after 30 s of silence.
   * @default 2000
   */
  TANDEM_HEARTBEAT_MS: int(100).max(10_000).default(DEFAULT_HEARTBEAT_MS),
  /** A login ends after this many minutes without use (fractions allowed). @default 30 */
  TANDEM_IDLE_TIMEOUT_MINUTES: z.coerce.number().positive().default(30),
  /** A login ends this long after it began, however active. @default 12 hours */
  TANDEM_ABSOLUTE_TIMEOUT_HOURS: int(1).default(12),
  /**
   * Connections of one login to one note that follow each other within this long are one visit
   * in the audit log (one session_opened, one session_left): a reconnecting client is not a new
   * visit. @default 60000
   */
  TANDEM_VISIT_GAP_MS: int(0).default(60_000),
  TANDEM_STOP_GRACE_MS: int(1).default(30_000),
  /** Keep a document in memory this long after its last client left (absorbs page reloads). @default 2000 */
  TANDEM_UNLOAD_DELAY_MS: int(0).default(2000),
  /** Compact a note's log once this many updates have accumulated since the last snapshot. @default 500 */
  TANDEM_COMPACT_AFTER_UPDATES: int(1).default(500),
  /** Compaction keeps one merged log entry per this many ms: the resolution of timeline replay. @default 1000 */
  TANDEM_HISTORY_RESOLUTION_MS: int(1).default(1_000),
  /**
   * Failed logins for one account from one address before each further one is delayed (1 s, 2 s,
   * 4 s… up to 15 min); five times this per address and per account (delays up to a minute). @default 10
   */
  TANDEM_LOGIN_ATTEMPTS: int(1).default(10),
  /** Extra origins allowed to open websockets and call the API (comma-separated), e.g. the vite dev server. */
  TANDEM_ALLOWED_ORIGINS: z.string().default(''),
  /** Trust X-Forwarded-* from a reverse proxy (needed for Secure cookies behind TLS). @default false */
  TRUST_PROXY: bool.default(false),
  /** debug | info | warn | error | silent. @default "info" */
  TANDEM_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Where the built client is served from. @default "dist/client" */
  TANDEM_CLIENT_DIR: z.string().default('dist/client'),
  /** Base64 32-byte key: store note content encrypted (AES-256-GCM). Unset: stored in the clear. */
  TANDEM_ENCRYPTION_KEY: z.string().optional(),
  /** Comma-separated base64 keys that still decrypt older data during a key rotation. */
  TANDEM_ENCRYPTION_PREVIOUS_KEYS: z.string().default(''),
  /** Bytes queued for a client that does not read before the server disconnects it. @default 8 MiB */
  TANDEM_MAX_BUFFERED_BYTES: int(1024).default(8 * 1024 * 1024),
  /**
   * Changes one account may have applied to one note in 10 s (writerLimits.ts, changeRateGuard):
   * a fast typist makes about 150, a 4 MB paste 64. Raised only where typing faster than anyone
   * is the point: the benchmark, and the test servers' typists. @default 500
   */
  TANDEM_MAX_CHANGES_PER_10S: int(1).default(500),
  /** Notes one account may hold open at once on this process (server/collab/upgrade.ts). @default 32 */
  TANDEM_MAX_NOTES_PER_ACCOUNT: int(1).default(32),
  /** scrypt cost parameter N (a power of two). Lower only in tests. @default 32768 */
  TANDEM_SCRYPT_N: int(2).default(32768),
  /**
   * IANA time zone for the times written in exports (signatures, late entries, addenda). Exports
   * leave the clinic, so they say local time with the zone instead of UTC instants.
   * @default the server's zone (`TZ`, else the system's)
   */
  TANDEM_TIMEZONE: z.string().refine(isTimeZone, 'not an IANA time zone, e.g. Europe/Berlin').optional(),
  /** When set, GET /metrics requires `Authorization: Bearer <this token>`. Unset: /metrics is open (block it at the proxy). */
  TANDEM_METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /**
   * PostgreSQL only: the longest one statement may run (server-side `statement_timeout`, and, a
   * second later, the client gives up on a connection that answers nothing) and the longest a
   * transaction may sit idle (`idle_in_transaction_session_timeout`), so a silent connection
   * cannot hold a note's lock. @default 10000
   */
  TANDEM_PG_STATEMENT_TIMEOUT_MS: int(100).default(DEFAULT_POSTGRES_TIMEOUTS.statementMs),
  /** PostgreSQL only: the longest a write waits for a lock (`lock_timeout`); then it fails and is retried. Longer than a statement may run: a live holder is bounded by the statement timeout, and giving up a place in the lock's queue only to retry after a backoff starves a slow writer. @default 20000 */
  TANDEM_PG_LOCK_TIMEOUT_MS: int(50).default(DEFAULT_POSTGRES_TIMEOUTS.lockMs),
  /** Note edits unconfirmed this long mark storage as stalled (/healthz 503, a warn line, clients told). @default 10000 */
  TANDEM_STORE_STALL_MS: int(100).default(10_000),
  /** TCP connections (requests and websockets) held at once; one more is closed as it comes. @default the descriptor limit less a fifth (at least 256); 4096 where the limit cannot be read (connectionCap.ts) */
  TANDEM_MAX_CONNECTIONS: int(1).optional(),
  /** TCP connections held at once from one peer address. @default 512, or TANDEM_MAX_CONNECTIONS with TRUST_PROXY (every client then shares the proxy's address) */
  TANDEM_MAX_CONNECTIONS_PER_ADDRESS: int(1).optional(),
  /** A request's headers must be complete this long after its connection opened (or, on a kept-alive connection, after its first byte), however slowly they trickle; a connection that sends nothing is closed then too (408). @default 10000 */
  TANDEM_HEADERS_TIMEOUT_MS: int(100).default(10_000),
  /** A request's body must be complete this long after it began (408); at least the headers timeout. @default 30000 */
  TANDEM_REQUEST_TIMEOUT_MS: int(100).default(30_000),
  /** A websocket upgrade must be decided this long after its headers came; then it is closed with 4503 (try again). @default 15000 */
  TANDEM_UPGRADE_TIMEOUT_MS: int(100).default(15_000),
}).refine((e) => e.TANDEM_REQUEST_TIMEOUT_MS >= e.TANDEM_HEADERS_TIMEOUT_MS, { message: 'must be at least TANDEM_HEADERS_TIMEOUT_MS', path: ['TANDEM_REQUEST_TIMEOUT_MS'] });

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  maxMessageBytes: number;
  pingIntervalMs: number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  visitGapMs: number;
  /** How long a stop (SIGTERM, SIGINT) waits for storage to take pending edits and audit records before the process exits anyway, ms (main.ts). */
  stopGraceMs: number;
  unloadDelayMs: number;
  compactAfterUpdates: number;
  historyResolutionMs: number;
  loginAttempts: number;
  allowedOrigins: string[];
  trustProxy: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  clientDir: string;
  scryptN: number;
  encryption: EncryptionKeys | null;
  maxBufferedBytes: number;
  /** Changes one account may have applied to one note per 10 s. */
  maxChangesPer10s: number;
  /** Notes one account may hold open at once on this process. */
  maxNotesPerAccount: number;
  timeZone: string;
  metricsToken: string | null;
  /** Bounds on every PostgreSQL wait (ms); see createPool. */
  postgresTimeouts: PostgresTimeouts;
  /** Edits unconfirmed this long (ms) mean storage is stalled. */
  storeStallMs: number;
  /** TCP connections held at once, in all and from one address; bounds on a peer's request and upgrade (ms). See server/http/connectionLimits.ts. */
  connections: ConnectionBounds;
}

export interface ConnectionBounds {
  max: number;
  perAddress: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  upgradeTimeoutMs: number;
}


/** Parses the environment; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.TANDEM_DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    maxMessageBytes: e.TANDEM_MAX_MESSAGE_BYTES,
    pingIntervalMs: e.TANDEM_PING_INTERVAL_MS,
    heartbeatMs: e.TANDEM_HEARTBEAT_MS,
    idleTimeoutMs: Math.round(e.TANDEM_IDLE_TIMEOUT_MINUTES * 60_000),
    absoluteTimeoutMs: e.TANDEM_ABSOLUTE_TIMEOUT_HOURS * 3_600_000,
    visitGapMs: e.TANDEM_VISIT_GAP_MS,
    stopGraceMs: e.TANDEM_STOP_GRACE_MS,
    unloadDelayMs: e.TANDEM_UNLOAD_DELAY_MS,
    compactAfterUpdates: e.TANDEM_COMPACT_AFTER_UPDATES,
    historyResolutionMs: e.TANDEM_HISTORY_RESOLUTION_MS,
    loginAttempts: e.TANDEM_LOGIN_ATTEMPTS,
    allowedOrigins: e.TANDEM_ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.TANDEM_LOG_LEVEL,
    clientDir: path.resolve(e.TANDEM_CLIENT_DIR),
    scryptN: e.TANDEM_SCRYPT_N,
    encryption: e.TANDEM_ENCRYPTION_KEY
      ? {
          current: parseKey(e.TANDEM_ENCRYPTION_KEY, 'TANDEM_ENCRYPTION_KEY'),
          previous: e.TANDEM_ENCRYPTION_PREVIOUS_KEYS.split(',').map((k) => k.trim()).filter(Boolean).map((k) => parseKey(k, 'TANDEM_ENCRYPTION_PREVIOUS_KEYS')),
        }
      : null,
    maxBufferedBytes: e.TANDEM_MAX_BUFFERED_BYTES,
    maxChangesPer10s: e.TANDEM_MAX_CHANGES_PER_10S,
    maxNotesPerAccount: e.TANDEM_MAX_NOTES_PER_ACCOUNT,
    timeZone: e.TANDEM_TIMEZONE ?? new Intl.DateTimeFormat().resolvedOptions().timeZone,
    metricsToken: e.TANDEM_METRICS_TOKEN ?? null,
    postgresTimeouts: { statementMs: e.TANDEM_PG_STATEMENT_TIMEOUT_MS, lockMs: e.TANDEM_PG_LOCK_TIMEOUT_MS },
    storeStallMs: e.TANDEM_STORE_STALL_MS,
    connections: connectionBounds(e),
  });
}

function connectionBounds(e: z.infer<typeof envSchema>): ConnectionBounds {
  const max = e.TANDEM_MAX_CONNECTIONS ?? defaultConnectionCap();
  return {
    max,
    perAddress: e.TANDEM_MAX_CONNECTIONS_PER_ADDRESS ?? defaultPerAddressCap(max, e.TRUST_PROXY),
    headersTimeoutMs: e.TANDEM_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.TANDEM_REQUEST_TIMEOUT_MS,
    upgradeTimeoutMs: e.TANDEM_UPGRADE_TIMEOUT_MS,
  };
}
