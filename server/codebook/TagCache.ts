import { DEFAULT_TAGS } from '../../shared/domain/tag';
import type { Logger } from '../log';
import type { TagRecord, TagStore } from '../persistence/ports';

/**
 * The codebook in memory, because every observation written over the socket is checked against
 * it synchronously. Reloaded after every change (through any process, told through Redis) and
 * every `refreshMs` (a change whose word Redis lost shows up within that time).
 */
export class TagCache {
  private byId = new Map<string, TagRecord>();
  private timer: NodeJS.Timeout | null = null;
  private publish: (() => void) | null = null;

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

  /** Sends word of a change made here to the other processes (set once, with Redis). */
  shareWith(publish: () => void): void {
    this.publish = publish;
  }

  /**
   * After a change through this process: reads the codebook again, and has every other process do
   * so at once. A tag made on one process and used at once through another was refused there
   * until its next refresh, and every later edit of that page with it. The others are told even
   * when this process's read fails: theirs may not.
   */
  async changed(): Promise<void> {
    try {
      await this.reload();
    } finally {
      this.publish?.();
    }
  }

  /**
   * Tags an observation written into a note may carry: any of the codebook's, retired ones too.
   * A page holds the codebook it loaded; an observation made with a tag an admin retired a moment
   * before was refused, and every later edit of that page depended on it and was refused too
   * (walk, 4 Dec: a therapist's sentences held back until the tag came back). Retiring takes a
   * tag out of the palette; it keeps its observations, and this one is such.
   */
  isInCodebook(id: string): boolean {
    return this.byId.has(id);
  }

  /** Tags offered for a new observation now (existing and not retired): an HTTP request refused for one loses nothing. */
  isUsable(id: string): boolean {
    const tag = this.byId.get(id);
    return tag !== undefined && !tag.retired;
  }

  all(): TagRecord[] {
    return Array.from(this.byId.values()).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  }
}
