/**
 * Whether storage takes writes. A database can answer every read and refuse every write (a full
 * disk, a volume remounted read-only), and a ping cannot tell. This follows the outcome of the
 * writes the server makes anyway (the update log, audit records, logins); when none was made
 * lately, a check asks the store for one write of its own, at most one at a time.
 */
export class WriteHealth {
  private last: { ok: boolean; at: number } | null = null;
  private probing: Promise<void> | null = null;

  constructor(
    private readonly probe: () => Promise<void>,
    /** How long an outcome speaks for storage before a check makes a write to find out again. */
    private readonly freshMs = 5_000,
  ) {}

  record(ok: boolean): void {
    this.last = { ok, at: Date.now() };
  }

  /** Whether the latest write succeeded, writing once first if the latest is stale. */
  async check(): Promise<boolean> {
    if (!this.last || Date.now() - this.last.at > this.freshMs) {
      // The probe's own outcome is recorded by the storage boundary, like any write's.
      this.probing ??= this.probe()
        .catch(() => undefined)
        .finally(() => {
          this.probing = null;
        });
      await this.probing;
    }
    return this.last?.ok ?? false;
  }
}
