import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './log';
import { redisOptions } from './redisOptions';
import { watchLiveness, type Liveness } from './redisLiveness';

/** What a connection's owner is told, instead of the log lines here. */
export interface LinkEvents {
  /** Closed, or a probe went unanswered: called for each, the owner reports once per outage. */
  lost(err?: unknown): void;
  /** Ready again after a reconnect, or answering again on the same connection. */
  back(): void;
}

/**
 * Every Redis connection of this process is opened here, so none goes unwatched: each is probed
 * and dropped when it stops answering (redisLiveness.ts), and `answering()` tells /healthz and
 * `tandem_dependency_up` whether all of them answer, not only the fan-out's. A connection lost
 * or unanswered is reported once per outage: by its owner when it gives `events` (the fan-out,
 * whose outage also tells the pages), else here (the compaction lock, the login throttle).
 */
export class RedisLinks {
  private readonly watched = new Map<Redis, Liveness>();

  constructor(private readonly log: Logger) {}

  /**
   * A connection not yet connected (`connect()` it: a wrong URL fails the start). `role` names it
   * in the log; `extra` adds to the shared options.
   */
  open(url: string, connectionName: string, role: string, events?: LinkEvents, extra: RedisOptions = {}): Redis {
    const conn = new Redis(url, { ...redisOptions(connectionName), ...extra });
    conn.on('error', (err: unknown) => this.log.debug(`redis ${role} error`, { err }));
    const told = events ?? this.outageLog(role);
    // Watched first: its 'ready' listener marks the connection answering before `back` runs.
    const liveness = watchLiveness(conn, { unanswered: (err) => told.lost(err), answeringAgain: () => told.back() });
    // Closed for good ('end' by then) is our own doing: shutting down, not an outage.
    conn.on('close', () => conn.status !== 'end' && told.lost());
    conn.on('ready', () => told.back());
    this.watched.set(conn, liveness);
    conn.once('end', () => this.watched.delete(conn));
    return conn;
  }

  /** Whether every open connection is up and answered its last probe. */
  answering(): boolean {
    for (const liveness of this.watched.values()) if (!liveness.answering) return false;
    return true;
  }

  /** Whether this connection, opened here, answers PING now. */
  async answersNow(conn: Redis): Promise<boolean> {
    return (await this.watched.get(conn)?.answersNow()) ?? false;
  }

  /** Whether this connection, opened here, is up and answered its last probe. */
  answers(conn: Redis): boolean {
    return this.watched.get(conn)?.answering ?? false;
  }

  /**
   * One error line when the connection is lost or stops answering, one info line when it is back.
   * Nothing before it first connected: failing to connect at start is the start's failure.
   */
  private outageLog(role: string): LinkEvents {
    let started = false;
    let since: number | null = null;
    return {
      lost: (err) => {
        if (!started || since !== null) return;
        since = Date.now();
        this.log.error(`Redis connection lost (${role}): its commands fail until it is back`, { err });
      },
      back: () => {
        started = true;
        if (since === null) return;
        this.log.info(`Redis connection back (${role})`, { ms: Date.now() - since });
        since = null;
      },
    };
  }
}
