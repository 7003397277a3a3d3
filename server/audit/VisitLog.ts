import type { Principal } from '../collab/Connection';
import type { AuditQueue } from './AuditQueue';

interface Visit {
  principal: Principal;
  sessionId: string;
  /** Connections open now. */
  open: number;
  /** Connections the visit took in all (1 unless the client reconnected). */
  connections: number;
  /** When the last connection closed; the visit ends once nobody came back for the gap. */
  leftAt: number;
  ending: NodeJS.Timeout | null;
}

/**
 * Turns connections into visits for the audit log. A person in a note is one visit, however often
 * their client reconnects meanwhile (a flaky network, a server restart, the server asking it to):
 * one `session_opened` when they arrive, and one `session_left` once they have been gone for
 * `gapMs`, with the time they left and how many connections the visit took. One visit per login
 * and note: another login (another browser, a new login) is another visit.
 */
export class VisitLog {
  private readonly visits = new Map<string, Visit>();

  constructor(
    private readonly audit: AuditQueue,
    private readonly gapMs: number,
  ) {}

  /** A connection opened; returns what to call when it closes. */
  enter(principal: Principal, sessionId: string): () => void {
    const key = `${principal.loginId}\u0000${sessionId}`;
    let visit = this.visits.get(key);
    if (!visit) {
      visit = { principal, sessionId, open: 0, connections: 0, leftAt: 0, ending: null };
      this.visits.set(key, visit);
      this.audit.record({ at: Date.now(), actorId: principal.accountId, action: 'session_opened', sessionId, detail: { role: principal.role } });
    }
    if (visit.ending) clearTimeout(visit.ending);
    visit.ending = null;
    visit.open++;
    visit.connections++;
    const current = visit;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.leave(key, current);
    };
  }

  /** Ends every visit now (the process is stopping): whoever is still connected leaves now. */
  endAll(): void {
    const now = Date.now();
    for (const [key, visit] of this.visits) {
      if (visit.open > 0) visit.leftAt = now;
      this.end(key, visit);
    }
  }

  private leave(key: string, visit: Visit): void {
    // A visit already ended (at shutdown) is not reopened by its sockets closing after.
    if (this.visits.get(key) !== visit) return;
    visit.open--;
    if (visit.open > 0) return;
    visit.leftAt = Date.now();
    visit.ending = setTimeout(() => this.end(key, visit), this.gapMs);
    visit.ending.unref();
  }

  private end(key: string, visit: Visit): void {
    if (visit.ending) clearTimeout(visit.ending);
    this.visits.delete(key);
    const { principal, sessionId, leftAt, connections } = visit;
    this.audit.record({ at: leftAt, actorId: principal.accountId, action: 'session_left', sessionId, detail: { role: principal.role, connections } });
  }
}
