/**
 * Whether storage takes writes. A database can answer every read and refuse every write (a full
 * disk, a volume remounted read-only), and a ping cannot tell. This follows the outcome of the
 * writes the server makes anyway (the update log, audit records, logins), per kind of write (an
 * operation on one note or record, see storageBoundary.ts): the latest outcome of one kind does
 * not speak for another. While any kind's latest write failed
 * lately (a writer that retries renews it), storage is failing, whatever other kinds did since:
 * a note whose log cannot be stored is not made healthy by an audit record that could. When
 * nothing was written lately, a check asks the store for one write of its own, at most one at a time.
 */
export class WriteHealth {
  /** When each kind of write last failed, for kinds whose latest outcome is a failure. */
  private readonly failing = new Map<string, number>();
  private lastWriteAt = 0;
  private probing: Promise<void> | null = null;

  constructor(
    private readonly probe: () => Promise<void>,
    /** How long an outcome speaks for storage before a check makes a write to find out again. */
    private readonly freshMs = 5_000,
  ) {}

  /** The outcome of one write of kind `operation` (e.g. `docs.append <note id>`). */
  record(operation: string, ok: boolean): void {
    const now = Date.now();
    this.lastWriteAt = now;
    if (ok) this.failing.delete(operation);
    else this.failing.set(operation, now);
  }

  /** Whether storage takes writes: no kind failed lately, writing once first if nothing was written lately. */
  async check(): Promise<boolean> {
    // Outcomes from the start of this check on are fresh, the probe's included.
    const since = Date.now() - this.freshMs;
    if (this.lastWriteAt <= since) {
      // The probe's own outcome is recorded by the storage boundary, like any write's.
      this.probing ??= this.probe()
        .catch(() => undefined)
        .finally(() => {
          this.probing = null;
        });
      await this.probing;
    }
    for (const [operation, at] of this.failing) {
      if (at >= since) return false;
      // A failure nobody retried speaks for storage only while fresh; the probe speaks after it.
      this.failing.delete(operation);
    }
    return this.lastWriteAt > 0;
  }
}
