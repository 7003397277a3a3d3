import { DEFAULT_TAGS } from '../../shared/domain/tag';
import type { Logger } from '../log';
import type { TagRecord, TagStore } from '../persistence/ports';

/**
 * The codebook in memory, because every observation written over the socket is checked against
 * it synchronously. Reloaded after every local change and every `refreshMs` (changes made through
 * another process show up within that time).
 */
export class TagCache {
  private byId = new Map<string, TagRecord>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: TagStore,
    private readonly log: Logger,
  ) {}

  /** Seeds the default codebook (idempotent) and loads it. */
  async start(refreshMs: number): Promise<void> {
    const now = Date.now();
    await this.store.ensure(DEFAULT_TAGS.map((t, i) => ({ ...t, retired: false, position: i, createdAt: now })));
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch((err: unknown) => this.log.warn('codebook refresh failed', { err })), refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    this.byId = new Map((await this.store.list()).map((t) => [t.id, t]));
  }

  /** Tags an observation may be given now (existing and not retired). */
  isUsable(id: string): boolean {
    const tag = this.byId.get(id);
    return tag !== undefined && !tag.retired;
  }

  all(): TagRecord[] {
    return Array.from(this.byId.values()).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  }
}
