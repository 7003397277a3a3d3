import type { NoteReadWay } from '../../shared/domain/audit';
import type { AuditStore } from '../persistence/ports';

/** The ways of reading a note over HTTP; `live` (the websocket) is recorded at the upgrade (VisitLog). */
export type HttpNoteRead = Exclude<NoteReadWay, 'live'>;

/** Who reads: the account, and the login (one browser's sign-in) it reads through (an `Authenticated`). */
export interface NoteReader {
  account: { id: string };
  loginId: string;
}

/** Sweep remembered reads once this many are held, so the map stays bounded by recent readers. */
const SWEEP_AT = 4096;

/**
 * Records in the audit log that a login is being sent content of a session's note over HTTP.
 * Reads repeated by one login of one note, the same way and with the same detail, within
 * `gapMs` of the last one recorded are one read, as connections that close together are one
 * visit (VisitLog, `TANDEM_VISIT_GAP_MS`): a page's polls (blind mode's private list every 3 s,
 * the record while signatures are awaited) wrote a row each, thousands a session, and buried the
 * reads an auditor looks for (walk, 4 Dec). Every export is recorded: each is a copy that leaves
 * the system. Per process: processes behind one balancer may each record a repeated read once.
 */
export class NoteReadLog {
  /** When each (login, note, way, detail) was last recorded, ms since the epoch. */
  private readonly lastRecorded = new Map<string, number>();
  private sweepAt = SWEEP_AT;

  constructor(
    private readonly audit: Pick<AuditStore, 'append'>,
    private readonly gapMs: number,
  ) {}

  /**
   * Records the read before the caller responds, so a read the audit log could not record is
   * never served (the storage error becomes the response). Resolves at once for a repeat.
   */
  async record(reader: NoteReader, sessionId: string, way: HttpNoteRead, detail: Record<string, unknown> = {}): Promise<void> {
    const at = Date.now();
    const key = JSON.stringify([reader.loginId, sessionId, way, detail]);
    const last = this.lastRecorded.get(key);
    if (way !== 'export' && last !== undefined && at - last < this.gapMs) return;
    // Exports keep the action they have always been audited under.
    const action = way === 'export' ? 'export' : 'note_read';
    await this.audit.append({ at, actorId: reader.account.id, action, sessionId, detail: way === 'export' ? detail : { way, ...detail } });
    if (this.gapMs <= 0) return;
    this.lastRecorded.set(key, at);
    if (this.lastRecorded.size >= this.sweepAt) this.forgetBefore(at - this.gapMs);
  }

  private forgetBefore(cutoff: number): void {
    for (const [key, at] of this.lastRecorded) if (at < cutoff) this.lastRecorded.delete(key);
    // As many recent readers again before the next sweep: a sweep costs one pass per that many reads.
    this.sweepAt = Math.max(SWEEP_AT, 2 * this.lastRecorded.size);
  }
}
