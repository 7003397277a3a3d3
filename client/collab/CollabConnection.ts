/**
 * Owns one session's Y.Doc, its websocket provider and its IndexedDB copy, and folds everything
 * they report into one immutable {@link CollabStatus}. Plain TypeScript (no React) so the state
 * rules stay readable; `useCollabDoc` adapts it to a component's lifetime.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { ServerNotice } from '../../shared/protocol/messageType';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { installServerMessageHandlers } from './serverMessages';
import { trackDeletions, type StoredState } from '../../shared/protocol/storedState';
import { deriveSaveState, type ConnectionState, type SaveState } from './saveState';

/** What the server allows this connection to do with the note. */
export interface Access {
  canWrite: boolean;
  role: string | null;
  reason: string | null;
}

/** Why the connection ended for good: the page must leave the editor. */
export type EndReason = 'unauthorized' | 'forbidden' | 'rejected';

export type CollabStatus =
  | { kind: 'loading' }
  | {
      kind: 'ready';
      doc: Y.Doc;
      provider: WebsocketProvider;
      save: SaveState;
      access: Access;
      /** The last write the server refused, shown until dismissed. */
      refusal: { code: string; message: string } | null;
    }
  | { kind: 'ended'; reason: EndReason; code: number };

/** Result of asking the HTTP API whether we may still open the session. */
export type AccessProbe = 'ok' | 'unauthorized' | 'forbidden' | 'unknown';

export interface CollabOptions {
  sessionId: string;
  accountId: string;
  user: { name: string; color: string };
  /** The session role's rights, used until the server's access notice arrives (and while offline). */
  initialAccess: Access;
  /**
   * Asked after repeated failed connections: a refused websocket upgrade (HTTP 401/403) reaches
   * the browser only as close code 1006, so the HTTP API tells us whether it was about access.
   */
  probeAccess(): Promise<AccessProbe>;
}

/** Failed connections in a row before we first ask the HTTP API whether access is the problem. */
const PROBE_AFTER_FAILURES = 2;
/** While failures go on, ask again every this many (membership may be removed meanwhile). */
const PROBE_EVERY_FAILURES = 5;

function wsBase(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}`;
}

export class CollabConnection {
  readonly doc = new Y.Doc();
  /** Attached before anything loads into the doc, so every deletion is counted. */
  private readonly deletions = trackDeletions(this.doc);
  readonly provider: WebsocketProvider;
  private readonly local: IndexeddbPersistence;
  private readonly listeners = new Set<() => void>();
  private loaded = false;
  private connection: ConnectionState = 'connecting';
  private access: Access;
  private stored: StoredState = { stateVector: new Map(), deletions: { count: 0, sum: 0 } };
  private saveFailed = false;
  private refusal: { code: string; message: string } | null = null;
  private ended: { reason: EndReason; code: number } | null = null;
  private failures = 0;
  private destroyed = false;
  private snapshot: CollabStatus = { kind: 'loading' };

  constructor(private readonly opts: CollabOptions) {
    this.access = opts.initialAccess;
    // Per account, so a shared computer never shows one clinician's cached note to another.
    this.local = new IndexeddbPersistence(`tandem:${opts.accountId}:${opts.sessionId}`, this.doc);
    void this.local.whenSynced.then(() => this.markLoaded(), () => this.markLoaded());
    this.provider = new WebsocketProvider(`${wsBase()}/sync`, opts.sessionId, this.doc, {
      connect: false,
      // Cross-tab sync would let a read-only tab's edits reach the server through a writer's tab,
      // around the server's per-connection rights. Each tab talks to the server itself.
      disableBc: true,
    });
    this.provider.awareness.setLocalStateField('user', opts.user);
    installServerMessageHandlers(this.provider, {
      onSaved: (stored) => this.handleSaved(stored),
      onNotice: (notice) => this.handleNotice(notice),
    });
    this.listen();
    this.provider.connect();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CollabStatus => this.snapshot;

  /** Forgets the last refused write once the person has read about it. */
  dismissRefusal(): void {
    this.refusal = null;
    this.emit();
  }

  destroy(): void {
    this.destroyed = true;
    this.doc.off('update', this.emit);
    this.provider.destroy();
    void this.local.destroy();
    this.deletions.stop();
    this.listeners.clear();
  }

  private listen(): void {
    this.doc.on('update', this.emit);
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.connection = 'connected';
        // A new connection starts clean: the server repeats save-failed if storing still fails.
        this.saveFailed = false;
      }
      this.emit();
    });
    this.provider.on('sync', (synced) => {
      if (synced) {
        this.failures = 0;
        this.markLoaded();
      }
      this.emit();
    });
    this.provider.on('connection-close', (event) => this.handleClose(event?.code ?? null));
    this.provider.on('closed', ({ code }) => this.handleClose(code));
  }

  private markLoaded(): void {
    this.loaded = true;
    this.emit();
  }

  private handleSaved(stored: StoredState): void {
    this.stored = stored;
    this.emit();
  }

  private handleNotice(notice: ServerNotice): void {
    switch (notice.type) {
      case 'access':
        this.access = { canWrite: notice.canWrite, role: notice.role, reason: notice.reason ?? null };
        break;
      case 'refused':
        this.refusal = { code: notice.code, message: notice.message };
        break;
      case 'save-failed':
        this.saveFailed = true;
        break;
      case 'save-recovered':
        this.saveFailed = false;
        break;
    }
    this.emit();
  }

  private handleClose(code: number | null): void {
    if (this.ended || this.destroyed) return;
    if (code === CloseCode.Unauthorized) return this.end('unauthorized', code);
    if (code === CloseCode.Forbidden) return this.end('forbidden', code);
    if (code !== null && code >= 4400 && code < 4500) return this.end('rejected', code);
    // A close we caused ourselves (null) is not a failure; everything else is until a sync succeeds.
    if (code !== null) this.failures++;
    this.connection = 'offline';
    this.emit();
    const sinceFirstProbe = this.failures - PROBE_AFTER_FAILURES;
    if (sinceFirstProbe >= 0 && sinceFirstProbe % PROBE_EVERY_FAILURES === 0) void this.probe();
  }

  private async probe(): Promise<void> {
    const result = await this.opts.probeAccess();
    if (result === 'unauthorized') this.end('unauthorized', CloseCode.Unauthorized);
    else if (result === 'forbidden') this.end('forbidden', CloseCode.Forbidden);
  }

  private end(reason: EndReason, code: number): void {
    if (this.ended || this.destroyed) return;
    this.ended = { reason, code };
    // Final: stop the provider's retries; the edits stay in IndexedDB for the next visit.
    this.provider.disconnect();
    this.emit();
  }

  private emit = (): void => {
    if (this.destroyed) return;
    const next = this.computeSnapshot();
    // Most doc updates (every keystroke) change nothing visible: keep the old object so
    // React skips the re-render.
    if (sameStatus(this.snapshot, next)) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  };

  private computeSnapshot(): CollabStatus {
    if (this.ended) return { kind: 'ended', ...this.ended };
    if (!this.loaded) return { kind: 'loading' };
    const save = deriveSaveState({
      canWrite: this.access.canWrite,
      connection: this.connection,
      synced: this.provider.synced,
      saveFailed: this.saveFailed,
      local: { stateVector: Y.decodeStateVector(Y.encodeStateVector(this.doc)), deletions: this.deletions.tally() },
      stored: this.stored,
    });
    return {
      kind: 'ready',
      doc: this.doc,
      provider: this.provider,
      save,
      access: this.access,
      refusal: this.refusal,
    };
  }
}

function sameStatus(a: CollabStatus, b: CollabStatus): boolean {
  if (a.kind === 'ready' && b.kind === 'ready') {
    return a.save === b.save && a.access === b.access && a.refusal === b.refusal;
  }
  if (a.kind === 'ended' && b.kind === 'ended') return a.reason === b.reason;
  return a.kind === b.kind;
}
