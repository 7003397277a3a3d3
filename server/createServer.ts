import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { AuditQueue } from './audit/AuditQueue';
import { NoteReadLog } from './audit/NoteReadLog';
import { VisitLog } from './audit/VisitLog';
import { LoginService } from './auth/logins';
import { LoginThrottle, MemoryThrottleStore } from './auth/loginThrottle';
import { tellLiveSharing } from './collab/liveSharingNotice';
import { watchPeers } from './fanout/peerWatch';
import { CollabServer } from './collab/CollabServer';
import { threadedFold } from './collab/threadedFold';
import { boundedJudge } from './collab/bigUpdate';
import { threadedJudge } from './collab/threadedJudge';
import { auditRefusals } from './audit/writeRefusals';
import { blindGuard, BlindRegistry } from './learning/blindRegistry';
import { startRetentionSweep, type RetentionSweep } from './members/retentionSweep';
import { rewordAnsweredFlags } from './supervisor/answeredFlagNotices';
import { keepStruckWords } from './collab/struckWords';
import { keepExtentChanges } from './collab/extentChanges';
import { contentGuard, labelLateEntries, lockGuard, mentionGuard, observationGuard, readOnlyGuard, stampReceipt } from './collab/guards';
import { riskGuard } from './collab/riskGuard';
import { changeRateGuard, scatterGuard, writerLimitGuard } from './collab/writerLimits';
import { keepFormatting } from './collab/formattedWords';
import { TagCache } from './codebook/TagCache';
import { createUpgradeHandler } from './collab/upgrade';
import { unfinishedLimits } from './collab/unfinishedMessages';
import { queuedLimits } from './collab/Connection';
import { HeldBytes } from './ops/heldBytes';
import { PASSWORD_WORK_LIMITS, PasswordWork } from './auth/passwordWork';
import { REQUEST_BODY_LIMITS } from './http/heldBodies';
import type { Config } from './config';
import { createLocalFanout, type Fanout } from './fanout/Fanout';
import type { RedisFanout } from './fanout/RedisFanout';
import { createApp } from './http/app';
import { ConnectionLimits, requestBounds } from './http/connectionLimits';
import { createLocalCompactionLock, type CompactionLock } from './locks/CompactionLock';
import { originPolicy } from './auth/origin';
import { createLogger, type Logger } from './log';
import { createStore } from './persistence/createStore';
import type { Store } from './persistence/ports';
import { atStorageBoundary } from './persistence/storageBoundary';
import { resyncHooks, shareAccessChanges } from './ops/crossProcess';
import { createMetrics } from './ops/metrics';
import { opsRoutes } from './ops/opsRoutes';
import { threadedNoteReader } from './review/noteReader';
import { flagNotices } from './supervisor/flagNotices';
import { LiveEvents } from './supervisor/LiveEvents';
import { seedCompetencies } from './supervisor/supervisionNotes';
import { createAccessRevocation, type AccessRevocation } from './services/accessRevocation';
import { watchLogins } from './services/loginWatch';
import { WriteHealth } from './ops/writeHealth';
import { StallWatch } from './collab/stallWatch';

export interface RunningServer {
  port: number;
  store: Store;
  collab: CollabServer;
  /** Takes access back from open sockets (what routes and the retention sweep call). */
  access: AccessRevocation;
  /** The process notes' retention sweep (what runs at start and every hour). */
  retention: Pick<RetentionSweep, 'run'>;
  log: Logger;
  /** TCP connections open against their bound (as /healthz says). */
  connections: Pick<ConnectionLimits, 'load'>;
  /** Stops accepting, closes sockets with "server restarting", stores every pending update. */
  close(): Promise<void>;
}

/** Composition root: builds every part from the config and starts listening. */
export async function startServer(config: Config, overrides: { log?: Logger; store?: Store; fanout?: Fanout } = {}): Promise<RunningServer> {
  const log = overrides.log ?? createLogger(config.logLevel);
  // Every store failure becomes a StorageError (503 at the HTTP edge), and every write's outcome
  // tells /healthz whether storage takes writes.
  const writes = new WriteHealth(() => store.checkWrite());
  const store = atStorageBoundary(overrides.store ?? (await createStore(config, log)), (operation, ok) => writes.record(operation, ok));
  const metrics = createMetrics();
  // Writes that neither complete nor fail (a silent connection, a crawling link) count as storage failing.
  const stalls = new StallWatch(config.storeStallMs);
  stalls.register(metrics.registry);
  const writeCheck = { check: async () => !stalls.isStalled() && (await writes.check()) };
  const auditQueue = new AuditQueue(store.audit, log);
  metrics.trackAudit(auditQueue);
  const visits = new VisitLog(auditQueue, config.visitGapMs);
  // Every Redis connection of the process is opened there and watched: one that stops answering
  // is dropped and reconnected, and /healthz says so whichever connection it is.
  const redisLinks = config.redisUrl ? new (await import('./redisLinks')).RedisLinks(log) : undefined;
  const redis: RedisFanout | null = !overrides.fanout && config.redisUrl
    ? await (await import('./fanout/RedisFanout')).createRedisFanout(config.redisUrl, log, { onDelivered: metrics.fanoutDelivered, links: redisLinks })
    : null;
  const fanout = overrides.fanout ?? redis ?? createLocalFanout();
  // Processes sharing a database compact a note one at a time, whichever of them holds it open.
  const compactionLock: CompactionLock = redis && config.redisUrl
    ? await (await import('./locks/RedisCompactionLock')).createRedisCompactionLock(config.redisUrl, log, { links: redisLinks })
    : createLocalCompactionLock();
  const logins = new LoginService(store, config.idleTimeoutMs, config.absoluteTimeoutMs, log);
  const tags = new TagCache(store.tags, log);
  await tags.start(30_000);
  const blind = new BlindRegistry(store.learning);
  await seedCompetencies(store);
  const live = new LiveEvents(store);
  const folding = threadedFold();
  const judging = threadedJudge();
  // Bound before the collab server it reads: a page's greeting waits for its connection.
  // Processes hear each other's heartbeat on Redis: a note's pages are told when another process that has it open falls silent.
  const peers = redis ? watchPeers(redis, () => collab.connections().map((c) => c.sessionId), store.leases, log) : null;
  peers?.register(metrics.registry);
  const greetSharing = redis && peers ? tellLiveSharing(redis.liveSharing, peers, () => collab.connections()) : () => {};
  const queued = new HeldBytes('bytes queued for peers that do not read', queuedLimits(config.maxBufferedBytes), log, () => metrics.heldDropped('queued'));
  metrics.trackHeld('queued', queued);
  const collab = new CollabServer({
    store: metrics.instrumentDocStore(store.docs),
    sessions: store.sessions,
    bindings: store.bindings,
    fanout,
    log,
    guards: auditRefusals(metrics.countGuards([readOnlyGuard, lockGuard, contentGuard, mentionGuard, riskGuard, observationGuard(tags), writerLimitGuard, changeRateGuard(config.maxChangesPer10s), scatterGuard(), blindGuard(blind)]), auditQueue),
    // flagNotices before stampReceipt: it tells a new observation by its missing stamp.
    afterApply: [keepStruckWords, labelLateEntries, keepFormatting, keepExtentChanges, flagNotices({ store, live, log }), stampReceipt],
    caretsOnly: (sessionId) => blind.isPrivate(sessionId),
    fold: folding.fold,
    judgeBigUpdate: boundedJudge(judging.judge),
    stalls,
    options: {
      unloadDelayMs: config.unloadDelayMs, compactAfterUpdates: config.compactAfterUpdates, historyResolutionMs: config.historyResolutionMs,
      maxBufferedBytes: config.maxBufferedBytes, maxMessageBytes: config.maxMessageBytes, pingIntervalMs: config.pingIntervalMs, heartbeatMs: config.heartbeatMs,
    },
    ...metrics.collabEvents,
    onConnectionOpened: (conn) => {
      metrics.collabEvents.onConnectionOpened(conn);
      peers?.opened(conn.sessionId);
      greetSharing(conn);
    },
    compactionLock,
    queued,
  });
  metrics.trackCollab(collab);
  const access = createAccessRevocation(collab);
  const stopSharing = redis ? shareAccessChanges({ collab, access, store, fanout: redis, log, blind }) : () => {};
  if (redis) {
    redis.onResync(resyncHooks({ collab, store }));
    live.shareWith((accountIds, event) => redis.publishControl({ kind: 'live', accountIds, event }));
    tags.shareWith(() => redis.publishControl({ kind: 'codebook' }));
    redis.onControl((m) => {
      if (m.kind === 'live') live.deliver(m.accountIds, m.event);
      // After an outage too: a change's word may have been lost in it.
      if (m.kind === 'codebook' || m.kind === 'caught-up') void tags.reload().catch((err: unknown) => log.warn('codebook refresh failed', { err }));
      if (m.kind === 'codebook') live.deliverToAll({ type: 'codebook' });
      // Live events were lost in the outage: the pages reconnect their streams and read again.
      if (m.kind === 'caught-up') live.reconnectAll();
    });
  }
  const notes = threadedNoteReader(store.docs, collab, log);
  // With Redis, failed logins are counted once for all processes, not once per process.
  const throttleStore = config.redisUrl
    ? await (await import('./auth/RedisThrottleStore')).createRedisThrottleStore(config.redisUrl, log, redisLinks)
    : new MemoryThrottleStore();
  const throttle = new LoginThrottle(throttleStore, config.loginAttempts, log);
  const bodies = new HeldBytes('request bodies being read', REQUEST_BODY_LIMITS, log, () => metrics.heldDropped('request'));
  metrics.trackHeld('request', bodies);
  const passwords = new PasswordWork(PASSWORD_WORK_LIMITS, metrics.passwordRefused);
  metrics.trackPasswords(passwords);
  const server = http.createServer(requestBounds(config.connections));
  const connections = new ConnectionLimits(server, config.connections, log, metrics.registry);
  const app = createApp(
    { config, store, log, logins, collab, access, tags, throttle, passwords, blind, live, notes, noteReads: new NoteReadLog(store.audit, config.visitGapMs), bodies, queued },
    opsRoutes({ store, writes: writeCheck, fanout: redis && redisLinks ? { healthy: async () => redisLinks.answering() && (await redis.healthy()) } : (overrides.fanout ?? null), redisWrites: async () => (await Promise.all([throttle.counts(), compactionLock.takes?.() ?? true])).every(Boolean), metrics: metrics.registry, log, connections }),
  );
  server.on('request', app);
  // Messages up to twice the limit are read, so the client can be told their size (and stop
  // offering them); beyond that ws cuts the connection off unread (1009), bounding memory.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * config.maxMessageBytes, perMessageDeflate: false });
  const unfinished = new HeldBytes('unfinished websocket messages', unfinishedLimits(config.maxMessageBytes), log, () => metrics.heldDropped('websocket'));
  metrics.trackHeld('websocket', unfinished);
  server.on('upgrade', createUpgradeHandler({ wss, collab, store, logins, visits, blind, log, access, unfinished, allowedOrigins: originPolicy(config.allowedOrigins, config.trustProxy), maxNotesPerAccount: config.maxNotesPerAccount,
    timeoutMs: config.connections.upgradeTimeoutMs, onTimedOut: (address) => connections.upgradeTimedOut(address) }));
  const stopWatch = watchLogins({ collab, access, store, logins, log }, Math.min(15_000, config.idleTimeoutMs / 4));
  // Process notes kept past their retention setting are removed now and then every hour.
  const retention = startRetentionSweep({ store, collab, access, log }, metrics.registry);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info('listening', { port });
  // Flags answered before an answer reworded their notices read so now, in the background.
  let closing: Promise<void> | null = null;
  const rewording = rewordAnsweredFlags({ store, notes, log, stopping: () => closing !== null }).catch((err: unknown) => log.warn('the flag notices could not be listed to reword answered ones; the next start tries again', { err }));

  const close = () =>
    (closing ??= (async () => {
      stopWatch();
      stopSharing();
      peers?.stop();
      stalls.stop();
      connections.stop();
      retention.stop();
      tags.stop();
      server.close();
      await collab.shutdown();
      // Whoever was still connected left now; their records are written before the store closes.
      visits.endAll();
      await auditQueue.drain();
      await folding.close();
      await judging.close();
      await rewording;
      await notes.close();
      wss.close();
      server.closeAllConnections();
      await fanout.close();
      await compactionLock.close();
      await throttle.close();
      await store.close();
      log.info('stopped');
    })());
  return { port, store, collab, access, retention, log, connections, close };
}
