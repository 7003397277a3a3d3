import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../log';
import type { LeaseStore } from '../persistence/ports';
import { keepLease, LEASE_MS } from './livenessLease';
import type { RedisFanout } from './RedisFanout';

/** How often each process says on Redis that it hears it, with the notes its pages have open. */
export const HEARTBEAT_EVERY_MS = 1_000;
/** How soon a note newly opened here is named in a heartbeat of its own (coalescing the openings meanwhile). */
const OPENED_BEAT_MS = 100;
/**
 * A process not heard for this long is silent: its Redis link is down (it stops its heartbeat
 * while its own outage lasts), so edits of its pages no longer reach the others live, nor theirs
 * it. Five missed heartbeats, so a process held up a moment by load is not taken for one.
 */
export const SILENT_AFTER_MS = 5_000;
/**
 * A process silent this long is taken for gone, so its notes' pages here are no longer told about
 * it, when its liveness lease could not be read to tell. Longer than Redis outages seen in the
 * field (4 minutes, 2 Dec).
 */
export const FORGET_AFTER_MS = 10 * 60_000;

interface Peer {
  heardAt: number;
  sessionIds: Set<string>;
  silent: boolean;
  /** Its lease was not found lapsed after LEASE_MS of silence (said once): alive, its Redis link down. */
  renewing?: boolean;
}

/** Which notes of this process a silent peer holds too: their pages are not shared with live. */
export interface PeerSilence {
  silentHolds(sessionId: string): boolean;
  /** Told when a peer falls silent, is heard again or is forgotten. */
  onChange(listener: () => void): void;
}

/** What the server tells the watch, and how it is stopped. */
export interface PeerAnnouncing {
  /** A page opened this note here: a heartbeat naming it follows within 100 ms if the last did not name it. */
  opened(sessionId: string): void;
  register(registry: Registry): void;
  /** Stops the heartbeat and says goodbye, so a process stopping is not taken for a silent one. */
  stop(): void;
}

/**
 * Processes hear each other on Redis: each publishes a heartbeat every second, with the notes its
 * pages have open, while it shares live; a peer not heard for SILENT_AFTER_MS has lost its link.
 * Its own pages are told by its own outage; this tells the pages here that share a note with it.
 * Before, when process A lost Redis, pages on B were told nothing, though A's people's edits no
 * longer reached them live (operator fault test, 6 Dec). While this process's own outage lasts it
 * hears nobody, and judges nobody: its pages are told already.
 *
 * Silence alone cannot tell a killed process from one whose Redis link is down, so each process
 * also keeps a liveness lease in the store (livenessLease.ts), which needs no Redis: a silent peer
 * whose lease lapsed is gone, and its notes' pages here are told live sharing is back at once.
 * Before, a process killed without a goodbye (SIGKILL, OOM) left them told it was interrupted for
 * 10 minutes. When the store cannot say, the peer stays silent until heard or FORGET_AFTER_MS.
 */
export function watchPeers(fanout: RedisFanout, sessions: () => Iterable<string>, leases: LeaseStore, log: Logger): PeerSilence & PeerAnnouncing {
  const peers = new Map<string, Peer>();
  const listeners: (() => void)[] = [];
  const changed = () => listeners.forEach((listener) => listener());
  const silentCount = () => Array.from(peers.values()).filter((p) => p.silent).length;
  const lease = keepLease(leases, fanout.instanceId, log);

  fanout.onControl((m) => {
    if (m.kind === 'heartbeat') {
      const peer = peers.get(m.from);
      peers.set(m.from, { heardAt: Date.now(), sessionIds: new Set(m.sessionIds), silent: false });
      if (!peer?.silent) return;
      log.info('another process is heard on Redis again; live sharing with it resumes', { ms: Date.now() - peer.heardAt, n_silent: silentCount() });
      changed();
    } else if (m.kind === 'goodbye') {
      const wasSilent = peers.get(m.from)?.silent;
      if (!peers.delete(m.from)) return;
      log.info('another process stopped; it is not waited for on Redis', { n_silent: silentCount() });
      if (wasSilent) changed();
    }
  });
  // Back from its own outage: nobody was heard meanwhile, and their next heartbeat is a second away.
  fanout.liveSharing.onChange((interrupted) => {
    if (!interrupted) for (const peer of peers.values()) peer.heardAt = Math.max(peer.heardAt, Date.now());
  });

  let announced = new Set<string>();
  let soon: NodeJS.Timeout | null = null;
  const beat = () => {
    announced = new Set(sessions());
    fanout.publishControl({ kind: 'heartbeat', from: fanout.instanceId, sessionIds: Array.from(announced) });
  };
  const tick = () => {
    if (fanout.liveSharing.interrupted) return;
    beat();
    const now = Date.now();
    let change = false;
    for (const [id, peer] of peers) {
      if (now - peer.heardAt >= FORGET_AFTER_MS) {
        peers.delete(id);
        change ||= peer.silent;
        log.info('another process silent for 10 minutes is taken for gone; its notes\' pages here are no longer told about it', { ms: now - peer.heardAt });
      } else if (!peer.silent && now - peer.heardAt >= SILENT_AFTER_MS) {
        peer.silent = true;
        change = true;
        log.warn('another process is not heard on Redis; pages of the notes it shares with this one are told live sharing is interrupted', { count: peer.sessionIds.size, ms: now - peer.heardAt });
      }
    }
    if (change) changed();
    void judgeSilent();
  };
  let judging = false;
  const judgeSilent = async () => {
    const silent = Array.from(peers).filter(([, peer]) => peer.silent);
    if (judging || silent.length === 0) return;
    judging = true;
    try {
      const lapsed = new Set(await leases.lapsed(silent.map(([id]) => id)));
      // A peer heard meanwhile is a new entry, and stays.
      const gone = silent.filter(([id, peer]) => lapsed.has(id) && peers.get(id) === peer);
      for (const [id, peer] of gone) {
        peers.delete(id);
        log.info('another process silent on Redis let its liveness lease lapse: taken for gone; its notes\' pages here are told live sharing is back', { ms: Date.now() - peer.heardAt, n_silent: silentCount() });
      }
      if (gone.length > 0) changed();
      // Silent longer than a lease lasts, its lease not lapsed: alive, as the pages here are told.
      for (const [id, peer] of silent) {
        if (lapsed.has(id) || peer.renewing || peers.get(id) !== peer || Date.now() - peer.heardAt < LEASE_MS) continue;
        peer.renewing = true;
        log.info('another process silent on Redis has not let its liveness lease lapse: taken for alive, its Redis link down', { ms: Date.now() - peer.heardAt });
      }
    } catch (err) {
      // The store cannot say (down from here too; /healthz says so): silent it stays.
      log.debug('liveness leases of silent processes could not be read', { err });
    } finally {
      judging = false;
    }
  };
  const timer = setInterval(tick, HEARTBEAT_EVERY_MS);
  timer.unref();

  return {
    silentHolds: (sessionId) => {
      for (const peer of peers.values()) if (peer.silent && peer.sessionIds.has(sessionId)) return true;
      return false;
    },
    onChange: (listener) => void listeners.push(listener),
    opened: (sessionId) => {
      // Soon, not at the next beat: a link lost within that second would leave the peers not knowing
      // this process held the note. Coalesced, so a thousand notes reopened at once cost a few beats.
      if (announced.has(sessionId) || soon) return;
      soon = setTimeout(() => {
        soon = null;
        if (!fanout.liveSharing.interrupted) beat();
      }, OPENED_BEAT_MS);
      soon.unref();
    },
    register: (registry) =>
      void new Gauge({
        name: 'tandem_peers_silent', help: 'Other processes not heard on Redis for 5 s whose liveness lease is fresh (or could not be read): their Redis link is down.', registers: [registry],
        collect() {
          this.set(silentCount());
        },
      }),
    stop: () => {
      clearInterval(timer);
      lease.stop();
      if (soon) clearTimeout(soon);
      fanout.publishControl({ kind: 'goodbye', from: fanout.instanceId });
    },
  };
}
