import type { Redis } from 'ioredis';

/** How often a connection that is up is asked to answer (PING). */
const PROBE_EVERY_MS = 1_000;
/**
 * A connection that answered nothing for this long is dropped and connects again. A few probes'
 * worth (each fails after the command timeout, 2 s), so one slow answer on a loaded machine does
 * not cost a reconnect, and a connection that will never answer is gone within seconds.
 */
export const DROP_UNANSWERED_AFTER_MS = 5_000;

/** What the watcher tells a connection's owner. */
export interface LivenessEvents {
  /** A probe failed (every one, not once per outage: the owner reports once). */
  unanswered(err: unknown): void;
  /** A probe was answered after some were not, on the same connection (no 'ready' to say so). */
  answeringAgain(): void;
}

/** Whether a connection answers, as its probes found. */
export interface Liveness {
  /** Up, and its last probe was answered (or it has just connected and answered its ready check). */
  readonly answering: boolean;
  /** Asks now: whether it answers PING (a reply out of step drops it, as a probe's would). */
  answersNow(): Promise<boolean>;
}

/**
 * Probes a connection while it is up and drops one that stopped answering, so that it connects
 * again (ioredis's `retryStrategy`: backoff with jitter, on a timer). Without it a connection
 * whose link went silent, or lost replies, stayed "ready" for good: the socket was open, so
 * nothing closed it, and once a reply was lost ioredis matched each later reply to an older
 * command, so every command after the link healed timed out too (operator fault test, 3 Dec).
 * The probes end when the connection is closed for good.
 */
export function watchLiveness(conn: Redis, events: LivenessEvents): Liveness {
  let lastAnswerAt = Date.now();
  let unanswered = false;
  let probing = false;
  // A fresh connection has just answered its ready check.
  conn.on('ready', () => {
    lastAnswerAt = Date.now();
    unanswered = false;
  });
  // As ioredis does itself when its protocol state is broken: every command still waiting fails
  // now (not one by one at its timeout, after the new connection was announced as back, nor sent
  // again on it), then the socket is closed and `retryStrategy` reconnects.
  const drop = (err: Error) => {
    lastAnswerAt = Date.now();
    conn.recoverFromFatalError(err, err, {});
  };
  const ask = async (): Promise<boolean> => {
    let reply: unknown;
    try {
      reply = await conn.ping();
    } catch (err) {
      // Closed meanwhile: the close is reported, and ioredis reconnects by itself.
      if (conn.status !== 'ready') return false;
      unanswered = true;
      events.unanswered(err);
      const silentMs = Date.now() - lastAnswerAt;
      if (silentMs >= DROP_UNANSWERED_AFTER_MS) drop(new Error(`Redis connection answered nothing for ${silentMs} ms; connection dropped`));
      return false;
    }
    if (!isPong(reply)) {
      // The reply of some other command: replies and commands are out of step for good.
      const err = new Error(`Redis answered PING with ${describe(reply)}: its replies no longer match its commands; connection dropped`);
      unanswered = true;
      events.unanswered(err);
      drop(err);
      return false;
    }
    lastAnswerAt = Date.now();
    if (unanswered) {
      unanswered = false;
      events.answeringAgain();
    }
    return true;
  };
  const probe = () => {
    if (probing || conn.status !== 'ready') return;
    probing = true;
    void ask().finally(() => {
      probing = false;
    });
  };
  const timer = setInterval(probe, PROBE_EVERY_MS);
  timer.unref();
  conn.once('end', () => clearInterval(timer));
  return {
    get answering() {
      return conn.status === 'ready' && !unanswered;
    },
    answersNow: () => (conn.status === 'ready' ? ask() : Promise.resolve(false)),
  };
}

/** PONG, or in subscriber mode `["pong", ""]`. */
function isPong(reply: unknown): boolean {
  const first: unknown = Array.isArray(reply) ? reply[0] : reply;
  return String(first).toLowerCase() === 'pong';
}

function describe(reply: unknown): string {
  return JSON.stringify(reply)?.slice(0, 60) ?? String(reply);
}
