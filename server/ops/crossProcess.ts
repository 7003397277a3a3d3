import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CollabServer } from '../collab/CollabServer';
import { mergeMany } from '../collab/compaction';
import { encodeFanoutUpdate } from '../collab/fanoutUpdate';
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
        { kind: 'update', data: encodeFanoutUpdate(Y.encodeStateAsUpdate(live.doc), live.bindingsOf()) },
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

/**
 * Makes revocation hold on every process. The access-revocation service closes the sockets it
 * revokes here by a filter, which cannot cross processes; so after each revocation every other
 * process is told to re-check its own connections against the store, the source of truth, exactly
 * as the upgrade decided them (services/accessRecheck.ts). The same re-check runs after a Redis
 * outage, for the messages it swallowed. Returns a stop function.
 */
export function shareAccessChanges(deps: AccessRecheckDeps & { access: AccessRevocation; fanout: RedisFanout }): () => void {
  const { fanout } = deps;
  const stopPublishing = deps.access.onRevoked(() => fanout.publishControl({ kind: 'recheck-access' }));

  let running: Promise<void> | null = null;
  let again = false;
  const recheck = () => {
    if (running) {
      again = true;
      return;
    }
    running = recheckAccess(deps)
      .then(() => {}, (err: unknown) => deps.log.error('re-checking access after a change on another process failed', { err }))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          recheck();
        }
      });
  };
  fanout.onControl((m) => {
    if (m.kind === 'recheck-access') recheck();
  });
  return stopPublishing;
}
