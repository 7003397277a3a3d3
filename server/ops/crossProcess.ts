import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { CollabServer } from '../collab/CollabServer';
import { mergeMany } from '../collab/compaction';
import { bindingsOf, encodeFanoutUpdate } from '../collab/fanoutUpdate';
import type { RedisFanout, ResyncHooks } from '../fanout/RedisFanout';
import type { Store } from '../persistence/ports';
import { recheckAccess, type AccessRecheckDeps } from '../services/accessRecheck';
import type { AccessRevocation } from '../services/accessRevocation';

/**
 * What the Redis fan-out needs to catch notes up after an outage (see `RedisFanout.onResync`):
 * this process's whole state of a note and its presence, and what the store has of it. Whole
 * states overlap with what peers have; Yjs drops what a doc already holds, so that costs bytes only.
 */
export function resyncHooks(deps: { collab: CollabServer; store: Store }): ResyncHooks {
  return {
    snapshotOf: (sessionId) => {
      const live = deps.collab.loaded(sessionId);
      if (!live) return [];
      const present = Array.from(live.awareness.getStates().keys());
      return [
        { kind: 'update', data: encodeFanoutUpdate(Y.encodeStateAsUpdate(live.doc), bindingsOf(live.clientAccounts)) },
        ...(present.length > 0 ? [{ kind: 'awareness' as const, data: awarenessProtocol.encodeAwarenessUpdate(live.awareness, present) }] : []),
      ];
    },
    catchUp: async (sessionId) => {
      const { snapshot, tail } = await deps.store.docs.load(sessionId);
      const parts = [...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)];
      const bindings = await deps.store.bindings.forSession(sessionId);
      return parts.length > 0 ? [encodeFanoutUpdate(mergeMany(parts), bindings)] : [];
    },
  };
}

/** Waits between attempts of a re-check that failed (the store away): it is retried until one succeeds. */
const RECHECK_RETRY: Backoff = { firstMs: 200, maxMs: 10_000 };
/**
 * Every process re-checks all its connections this often anyway. Messages can still be lost with
 * Redis up (a process killed between a revocation's commit and its publish, a link that swallows
 * a publish silently): this bounds how long a connection can outlive its rights.
 */
export const RECHECK_EVERY_MS = 30_000;
/**
 * While Redis is away, revocations and locks made on other processes cannot reach this one: it
 * re-checks this often instead, so a removed member or a note signed elsewhere is closed here
 * within seconds, not at the next sweep.
 */
export const OUTAGE_RECHECK_EVERY_MS = 2_000;

/**
 * Makes revocation hold on every process. The access-revocation service closes the sockets it
 * revokes here by a filter, which cannot cross processes; so after each revocation every other
 * process is told to re-check its own connections against the store, the source of truth, exactly
 * as the upgrade decided them (services/accessRecheck.ts). The same re-check runs after a Redis
 * outage anywhere (`caught-up`: the messages it swallowed), every RECHECK_EVERY_MS (every
 * OUTAGE_RECHECK_EVERY_MS while this process's Redis is away), and again after a wait while the
 * store cannot answer. Returns a stop function.
 */
export function shareAccessChanges(
  deps: AccessRecheckDeps & { access: AccessRevocation; fanout: RedisFanout },
  everyMs = RECHECK_EVERY_MS,
  outageEveryMs = OUTAGE_RECHECK_EVERY_MS,
): () => void {
  const { fanout } = deps;
  const stopPublishing = deps.access.onRevoked(() => fanout.publishControl({ kind: 'recheck-access' }));

  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;
  const recheck = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (retry) clearTimeout(retry);
    retry = null;
    running = recheckAccess(deps)
      .then(
        () => {
          failures = 0;
        },
        (err: unknown) => {
          failures++;
          deps.log.error('re-checking access after a change on another process failed; trying again after a wait', { err, n_attempt: failures });
          // On a timer, never from the failure itself: a store that fails at once must not spin the loop.
          retry = setTimeout(recheck, backoffDelay(failures - 1, RECHECK_RETRY));
          retry.unref();
        },
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          recheck();
        }
      });
  };
  fanout.onControl((m) => {
    if (m.kind !== 'recheck-access' && m.kind !== 'caught-up') return;
    // Counted before the re-check lists the connections: an upgrade decided meanwhile is not one yet.
    deps.access.revokedElsewhere();
    recheck();
  });
  const sweep = setInterval(recheck, everyMs);
  sweep.unref();
  let outageSweep: NodeJS.Timeout | null = null;
  fanout.liveSharing.onChange((interrupted) => {
    if (outageSweep) clearInterval(outageSweep);
    outageSweep = interrupted && !stopped ? setInterval(recheck, outageEveryMs) : null;
    outageSweep?.unref();
  });
  return () => {
    stopped = true;
    clearInterval(sweep);
    if (outageSweep) clearInterval(outageSweep);
    if (retry) clearTimeout(retry);
    stopPublishing();
  };
}
