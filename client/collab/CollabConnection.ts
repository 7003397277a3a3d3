/**
 * Owns one session's Y.Doc, its websocket provider and its IndexedDB copy, and folds everything
 * they report into two immutable snapshots: the {@link CollabStatus} the page is laid out by, and
 * the {@link SaveView} only the save badge (and the close warning) read, which changes with every
 * keystroke and its confirmation. Plain TypeScript (no React) so the state rules stay readable;
 * `useCollabDoc` adapts it to a component's lifetime.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { IndexeddbPersistence } from 'y-indexeddb';
import type { RefusalCode, ServerNotice } from '../../shared/protocol/messageType';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { DEVICE_CLIENTS_PARAM, formatDeviceClients } from '../../shared/protocol/deviceClients';
import { installServerMessageHandlers } from './serverMessages';
import { isStored, trackDeletions, type StoredState } from '../../shared/protocol/storedState';
import { deriveSaveState, type ConnectionState, type SaveState } from './saveState';
import { calmSaveState } from './calmSaveState';
import { deleteCopy, deviceClients, isUnsaved, localCopyName, markUnsaved } from './localCopies';
import { openWatchedCopy } from './watchedCopy';
import { forgetSessionOnDevice } from '../offline/forgetOnDevice';
import { accountForgotten } from '../offline/deviceAnswers';
import { recallMessageLimit, rememberMessageLimit } from './messageLimit';
import { insertedRecordWords, insertedText } from './insertedRange';
import { limitOutgoing, type OutgoingLimit, type SetAsideChange } from './outgoingLimit';
import { keepAside } from './setAsideStore';
import type { EditSizeLimit } from '../editor/tooLargeEdits';
import { followProvider, keepOfflineWords } from './offlineWords';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { watchSilence, type SilenceWatch } from './silenceWatch';
import { retryRefused, type RefusalRetry } from './refusalRetry';

/**
 * A change too large to send, taken out of the note (outgoingLimit.ts): `at` in epoch ms, `text`
 * what it inserted, `kept` whether this device stored it (setAsideStore.ts).
 */
export interface SetAsideView extends MessageSize {
  at: number;
  text: string;
  kept: boolean;
}

/** What the server allows this connection to do with the note. */
export interface Access {
  canWrite: boolean;
  role: string | null;
  reason: string | null;
}

/** Why the connection ended for good: the page must leave the editor. */
export type EndReason = 'unauthorized' | 'forbidden' | 'rejected' | 'too-big';

/** A message's size and the server's limit, in bytes. */
export interface MessageSize {
  size: number;
  limit: number;
}

export type CollabStatus =
  | {
      kind: 'loading';
      /**
       * This device holds no copy of the note (never opened here) and the server has not answered:
       * the page waits for it instead of showing an empty note, and says why.
       */
      awaitingServer: boolean;
    }
  | {
      kind: 'ready';
      doc: Y.Doc;
      provider: WebsocketProvider;
      /** The provider has exchanged the note with the server on the current connection. */
      synced: boolean;
      access: Access;
      /** The last write the server refused, shown until dismissed. */
      refusal: { code: string; message: string } | null;
      /**
       * The server holds a Yjs client id this device wrote under for another person: what was
       * written under it is not saved, and the note must be loaded again (under a new id).
       */
      idTaken: boolean;
      /**
       * The last change of this connection too large to send, once the device has stored it or
       * failed to: the page lists it with those kept from earlier (useSetAside.ts).
       */
      setAside: SetAsideView | null;
      /**
       * Lines of words typed here offline into lines the co-therapist removed meanwhile, written
       * again after them (offlineWords.ts): shown until dismissed.
       */
      keptOffline: string[] | null;
      /** Whether a character is one of those offline words while they are watched (the caret leaves them alone). */
      isOffline(id: Y.ID): boolean;
      /** The server's limit on one change, for the editor to refuse a larger one before it enters the note. */
      editLimit: EditSizeLimit;
      /**
       * Counts the times the session may have changed under the page: the server closed the
       * connection because it changed (started, ended, signed, a role changed), or a connection
       * synced (a change made while this page was not connected, or was still connecting, closed
       * no connection of ours). The page re-reads the session when it moves.
       */
      sessionChanges: number;
      /**
       * The server closed this tab's connection because the person already has as many open on
       * this note as it allows (CloseCode.TooManySockets); it connects by itself once one closed.
       */
      crowded: boolean;
      /**
       * The server said its live link to the other server processes is down: the co-therapist's
       * edits may reach this page late, and this page's hers (both are stored as usual).
       */
      liveInterrupted: boolean;
    }
  | {
      kind: 'ended';
      reason: EndReason;
      code: number;
      /** For `too-big`: what could not be sent, and the limit. */
      tooBig: MessageSize | null;
      /** Edits made here were still unconfirmed when it ended (after a removal they never will be). */
      unsaved: boolean;
    };

/**
 * What the save badge shows. Kept apart from {@link CollabStatus} because it flips as someone
 * types: only the components that show it re-render, not the whole page.
 */
export type SaveView =
  | { kind: 'loading' }
  | { kind: 'ended' }
  | {
      kind: 'ready';
      save: SaveState;
      /** This device holds edits the server has not confirmed (whatever the connection). */
      unconfirmed: boolean;
    };

/** A snapshot and its change notifications, in the shape React's useSyncExternalStore takes. */
export interface ExternalStore<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

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

/**
 * How long a reconnect the server asked for (the session changed) may take before the badge says
 * "Connecting…". Meanwhile it keeps telling the truth about what is stored, without flickering.
 */
const QUIET_RECONNECT_MS = 3000;

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
  private readonly silence: SilenceWatch;
  private readonly outgoing: OutgoingLimit;
  /** This device's copy of the note; a new one when another page deleted it (watchedCopy.ts). */
  private local: IndexeddbPersistence;
  /** Whether the first copy has loaded (and the page connected). */
  private copyLoaded = false;
  private readonly listeners = new Set<() => void>();
  private readonly saveListeners = new Set<() => void>();
  private loaded = false;
  private connection: ConnectionState = 'connecting';
  private access: Access;
  private stored: StoredState = { stateVector: new Map(), deletions: { count: 0, sum: 0 } };
  /**
   * What this device's copy held when it was opened, when every edit in it had been confirmed by
   * then (its unsaved flag was clear): a note opened offline to read is not "unconfirmed".
   */
  private confirmedAtOpen: StoredState | null = null;
  /** This device's Yjs client ids on this note (this page's and earlier pages'). */
  private deviceClients: number[] = [this.doc.clientID];
  /** The server's state vector at this connection's sync: what it had then. */
  private serverState = new Map<number, number>();
  /** This device's client ids the server said another person holds (shared/protocol/deviceClients.ts). */
  private readonly taken = new Set<number>();
  /** The server refused one of this page's writes on this connection (shown or since dismissed). */
  private refusedWrite = false;
  private saveFailed = false;
  private liveInterrupted = false;
  private refusal: { code: RefusalCode; message: string } | null = null;
  /** Since the refusal, the device has held changes the server had not stored (see settleRefusal). */
  private refusalWaits = false;
  private readonly retry: RefusalRetry;
  private setAside: SetAsideView | null = null;
  private keptOffline: string[] | null = null;
  private readonly offline = keepOfflineWords(this.doc, NOTE_FIELD, (tr) => tr.origin === this.provider, (lines) => this.handleKeptOffline(lines));
  /** What the server said was over its limit, just before closing the connection for it. */
  private refusedAsTooBig: MessageSize | null = null;
  private ended: { reason: EndReason; code: number; tooBig: MessageSize | null; unsaved: boolean } | null = null;
  private failures = 0;
  private sessionChanges = 0;
  /** The last close said the person has too many sockets on this note (CollabStatus `crowded`). */
  private crowded = false;
  private quietReconnect: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  private readonly localName: string;
  /** Whether the copy held no unconfirmed edits when the page opened it (its unsaved flag was clear). */
  private readonly copyWasConfirmed: boolean;
  private snapshot: CollabStatus = { kind: 'loading', awaitingServer: false };
  private saveSnapshot: SaveView = { kind: 'loading' };
  /** What the badge shows: the strict save state, without a flip per keystroke. */
  private readonly calm = calmSaveState(() => this.emit());

  private readonly editLimit: EditSizeLimit = {
    bytes: () => this.outgoing.limit(),
    setAside: ({ text, size }) => this.handleSetAside({ at: Date.now(), text, size, limit: this.outgoing.limit() }),
  };

  constructor(private readonly opts: CollabOptions) {
    this.access = opts.initialAccess;
    // First on the doc, so a change too large to send is seen before the provider sends it.
    this.outgoing = limitOutgoing(
      this.doc,
      {
        onSetAside: (change) => this.handleSetAside(change),
        onUnsendable: (size, limit) => this.end('too-big', CloseCode.MessageOverLimit, { size, limit }),
      },
      recallMessageLimit(),
    );
    // Per account, so a shared computer never shows one clinician's cached note to another.
    this.localName = localCopyName(opts.accountId, opts.sessionId);
    this.copyWasConfirmed = !isUnsaved(this.localName);
    this.local = this.openCopy();
    this.provider = new WebsocketProvider(`${wsBase()}/sync`, opts.sessionId, this.doc, {
      connect: false,
      WebSocketPolyfill: this.outgoing.guardSocket(WebSocket),
      // Cross-tab sync would let a read-only tab's edits reach the server through a writer's tab,
      // around the server's per-connection rights. Each tab talks to the server itself.
      disableBc: true,
    });
    this.provider.awareness.setLocalStateField('user', opts.user);
    followProvider(this.provider, this.offline);
    this.retry = retryRefused(this.provider, this.doc, () => this.serverHoldsAll(), () => this.access.canWrite);
    installServerMessageHandlers(this.provider, {
      onSaved: (stored) => this.handleSaved(stored),
      onNotice: (notice) => this.handleNotice(notice),
      onServerState: (stateVector) => {
        this.serverState = stateVector;
        this.offline.serverHas(stateVector);
      },
      dropSync: () => this.taken.size > 0,
    });
    // A connection the network dropped silently is replaced; meanwhile the badge says offline.
    this.silence = watchSilence(this.provider);
    this.listen();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CollabStatus => this.snapshot;

  /** The save badge's state, with its own listeners (see {@link SaveView}). */
  readonly saveState: ExternalStore<SaveView> = {
    subscribe: (listener) => {
      this.saveListeners.add(listener);
      return () => this.saveListeners.delete(listener);
    },
    getSnapshot: () => this.saveSnapshot,
  };

  /** Changes how this person appears to the others (their colour in the session may change). */
  setUser(user: { name: string; color: string }): void {
    this.provider.awareness.setLocalStateField('user', user);
  }

  /** Forgets the last refused write once the person has read about it. */
  dismissRefusal(): void {
    this.refusal = null;
    // Sent again only at the next connection, as before the notice: a retry refused again would
    // bring back the notice the person has just put away.
    this.retry.settled();
    this.emit();
  }

  /** Forgets the words kept from removed lines once the person has read about it (they are in the note). */
  dismissKeptOffline(): void {
    this.keptOffline = null;
    this.emit();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.endQuietReconnect();
    this.calm.stop();
    this.silence.stop();
    this.retry.stop();
    this.outgoing.stop();
    this.offline.stop();
    this.doc.off('update', this.emit);
    this.provider.destroy();
    void this.local.destroy();
    this.deletions.stop();
    this.listeners.clear();
    this.saveListeners.clear();
  }

  /**
   * Drops this browser's copy of the note (with a write the server refused, which would otherwise
   * be offered again on every reconnect) and ends this connection; open a new one to load the note
   * as the server has it. Edits not yet confirmed are dropped, so the page asks first; their text
   * is returned, for the page to show.
   */
  async discardLocalCopy(): Promise<string> {
    const unsaved = this.unsavedText();
    this.destroy();
    await this.local.destroy();
    await deleteCopy(this.localName);
    return unsaved;
  }

  /**
   * What this device wrote that the server has not stored (after what it confirmed or had at the
   * sync), one line per paragraph, then the words of its records: a reload after a refused change drops it from the device, and
   * the page shows it to copy back (walk, 4 Dec: sentences typed after a refusal were lost).
   */
  private unsavedText(): string {
    // Nothing under a taken id is this device's on the server: what it holds there is another's.
    const had = (client: number) => (this.taken.has(client) ? 0 : this.serverHolds(client));
    return this.deviceClients
      .flatMap((client) => {
        const [from, to] = [had(client), Y.getState(this.doc.store, client)];
        return [...insertedText(this.doc, client, from, to).split('\n'), ...insertedRecordWords(this.doc, client, from, to)];
      })
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join('\n');
  }

  /**
   * Opens this device's copy of the note. The websocket opens once the first copy is in the doc,
   * so the first sync message carries its state vector and the server sends only what this device
   * lacks, not the whole note.
   */
  private openCopy(): IndexeddbPersistence {
    const copy = openWatchedCopy(this.localName, this.doc, (removed) => this.handleCopyRemoved(removed));
    void copy.whenSynced.then(async () => {
      if (copy !== this.local || this.destroyed) return;
      if (this.copyLoaded) {
        // A new copy of a page already open: it holds the whole doc (y-indexeddb stores it on
        // opening); the ids and the unsaved flag the deleting page took with the old one go back.
        await deviceClients(copy, this.deviceClients);
        const save = this.computeSaveView();
        if (save.kind === 'ready') this.markUnsaved(save.unconfirmed);
        return;
      }
      this.copyLoaded = true;
      if (this.copyWasConfirmed) this.confirmedAtOpen = this.localState();
      // An empty copy (the note was never opened on this device) is not shown: words typed into
      // its blank page before the first sync were merged beside the server's template, not in it,
      // and could land under its last heading. The note opens with the server's answer.
      if (this.doc.store.clients.size > 0) this.markLoaded();
      // Known before the first connection: words an earlier page of this device typed offline.
      this.deviceClients = await deviceClients(copy, [this.doc.clientID]);
      this.offline.own(this.deviceClients);
      this.connect();
    });
    return copy;
  }

  /**
   * Another page of this browser deleted the copy (watchedCopy.ts). This page stops writing to it
   * at once, so its edits go on reaching the server, and keeps a new copy of everything it holds,
   * unless it is done with the note, or is reloading, or holds a write the server refused: that
   * page's own reload drops those, and a new copy would hand them to the other page's reload.
   */
  private handleCopyRemoved(copy: IndexeddbPersistence): void {
    if (copy !== this.local || this.destroyed) return;
    void copy.destroy();
    // Refusals and taken ids come only over a connection, so a copy removed while the first one
    // was still opening is always opened again: the page connects once it has loaded.
    if (this.ended || this.taken.size > 0 || this.refusedWrite) return;
    // A logout in another tab deleted it: this page's login ended with it, even offline, where no
    // server can say so (a new copy kept the whole note on the device after the logout).
    if (accountForgotten(this.opts.accountId)) return this.end('unauthorized', CloseCode.Unauthorized);
    this.local = this.openCopy();
  }

  private listen(): void {
    this.doc.on('update', this.emit);
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.connection = 'connected';
        this.crowded = false;
        // A new connection starts clean: the server repeats save-failed if storing still fails,
        // and live-sharing if its link to the other processes is still down.
        this.saveFailed = false;
        this.liveInterrupted = false;
      }
      this.emit();
    });
    this.provider.on('sync', (synced) => {
      if (synced) {
        this.sessionChanges++;
        this.failures = 0;
        this.endQuietReconnect();
        this.markLoaded();
        this.announcePresence();
      }
      this.emit();
    });
    this.provider.on('connection-close', (event) => this.handleClose(event?.code ?? null));
    this.provider.on('closed', ({ code }) => this.handleClose(code));
  }

  /**
   * After a reconnect the server and the other people have dropped our presence, but remember
   * its clock, and y-protocols ignores a state whose clock it has already seen: without a new
   * clock we would stay invisible until the periodic renewal. Setting the state again bumps it.
   */
  private announcePresence(): void {
    const awareness = this.provider.awareness;
    const state = awareness.getLocalState();
    if (state) awareness.setLocalState({ ...state });
  }

  private connect(): void {
    if (this.destroyed || this.ended) return;
    // The server checks them before it sends any of the note (shared/protocol/deviceClients.ts).
    this.provider.params = { [DEVICE_CLIENTS_PARAM]: formatDeviceClients(this.deviceClients) };
    this.provider.connect();
  }

  private endQuietReconnect(): void {
    if (this.quietReconnect) clearTimeout(this.quietReconnect);
    this.quietReconnect = null;
  }

  private markLoaded(): void {
    this.loaded = true;
    this.emit();
  }

  private handleSaved(stored: StoredState): void {
    this.stored = stored;
    this.offline.confirmed(stored.stateVector);
    this.emit();
  }

  private handleNotice(notice: ServerNotice): void {
    switch (notice.type) {
      case 'hello':
        this.silence.expectHeartbeats(notice.heartbeatMs);
        this.outgoing.setLimit(notice.maxMessageBytes);
        rememberMessageLimit(notice.maxMessageBytes);
        break;
      case 'access':
        this.access = { canWrite: notice.canWrite, role: notice.role, reason: notice.reason ?? null };
        break;
      case 'refused':
        // What is typed after a refused change builds on it and is refused as `missing_parts`:
        // the notice keeps saying why the first was refused (walk, 5 Dec: the reason gave way to
        // "an earlier edit from this device was not accepted" at the next keystroke).
        if (!(notice.code === 'missing_parts' && this.refusal)) {
          this.refusal = { code: notice.code, message: notice.message };
          this.refusalWaits = false;
        }
        this.refusedWrite = true;
        if (this.refusal) this.retry.refused(this.refusal.code);
        for (const c of notice.clients ?? []) if (this.deviceClients.includes(c)) this.taken.add(c);
        break;
      case 'save-failed':
        this.saveFailed = true;
        break;
      case 'save-recovered':
        this.saveFailed = false;
        break;
      case 'live-sharing':
        this.liveInterrupted = notice.interrupted;
        break;
      case 'too-big':
        // The close that follows ends the connection; this says why. The limit is news only to
        // a device that checked its edits against an older one.
        this.refusedAsTooBig = { size: notice.size, limit: notice.limit };
        this.outgoing.setLimit(notice.limit);
        rememberMessageLimit(notice.limit);
        break;
    }
    this.emit();
  }

  private handleSetAside(change: SetAsideChange): void {
    const { at, size, limit, text } = change;
    // If the device cannot keep it, the text is still on screen to copy.
    void keepAside(this.opts.accountId, this.opts.sessionId, change).then(
      () => true,
      () => false,
    ).then((kept) => {
      if (this.destroyed) return;
      this.setAside = { at, size, limit, text, kept };
      this.emit();
    });
  }

  private handleKeptOffline(lines: string[]): void {
    this.keptOffline = [...(this.keptOffline ?? []), ...lines];
    this.emit();
  }

  private handleClose(code: number | null): void {
    if (this.ended || this.destroyed) return;
    if (code === CloseCode.AccessChanged) {
      // Not a failure: the session moved on (or a role changed). The provider is already coming
      // back; the page re-reads the session meanwhile, and nothing is shown as an error.
      this.sessionChanges++;
      this.connection = 'connecting';
      this.endQuietReconnect();
      this.quietReconnect = setTimeout(() => {
        this.quietReconnect = null;
        this.emit();
      }, QUIET_RECONNECT_MS);
      this.emit();
      return;
    }
    if (code === CloseCode.MessageOverLimit) return this.end('too-big', code, this.refusedAsTooBig);
    // Not a failure of the server's: the page says why, and the provider keeps trying with backoff.
    this.crowded = code === CloseCode.TooManySockets;
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

  private end(reason: EndReason, code: number, tooBig: MessageSize | null = null): void {
    if (this.ended || this.destroyed) return;
    const save = this.computeSaveView();
    this.ended = { reason, code, tooBig, unsaved: save.kind === 'ready' && save.unconfirmed };
    // Final: stop the provider's retries; the edits stay in IndexedDB for the next visit, unless
    // the person may no longer open the note: then nothing of it stays on this device.
    this.provider.disconnect();
    if (reason === 'forbidden') void this.local.destroy().then(() => forgetSessionOnDevice(this.opts.accountId, this.opts.sessionId));
    else if (reason === 'unauthorized' && !this.ended.unsaved && !isUnsaved(this.localName)) void this.dropConfirmedCopy();
    this.emit();
  }

  /**
   * The login ended (a logout in another tab, an expiry) and every edit here is confirmed: the copy
   * goes, as a logout drops the confirmed ones (localCopies.ts). The page's own logout may list the
   * databases while this page is still opening a new copy of one another tab deleted (watchedCopy.ts),
   * and miss it; a deletion queued behind that opening does not.
   */
  private async dropConfirmedCopy(): Promise<void> {
    // A copy that never opened has nothing to close; it is deleted all the same.
    await this.local.destroy().catch(() => undefined);
    await deleteCopy(this.localName);
  }

  private emit = (): void => {
    if (this.destroyed) return;
    this.settleRefusal();
    const next = this.computeSnapshot();
    // Most doc updates (every keystroke) change nothing the page shows: keep the old object so
    // React skips the re-render.
    if (!sameStatus(this.snapshot, next)) {
      this.snapshot = next;
      for (const listener of this.listeners) listener();
    }
    const save = this.computeSaveView();
    if (sameSaveView(this.saveSnapshot, save)) return;
    this.saveSnapshot = save;
    if (save.kind === 'ready') this.markUnsaved(save.unconfirmed);
    for (const listener of this.saveListeners) listener();
  };

  /**
   * A refusal stands while the device holds changes the server has not stored. Once the server
   * has stored all of them (the refused change sent again at a reconnect and taken in, now that
   * it is acceptable: a member label put back, a tag after the blind reveal), nothing waits behind
   * it, and its notice would send the person to reload for nothing.
   */
  private settleRefusal(): void {
    if (!this.refusal) return;
    const allStored = isStored(this.localState(), this.stored);
    if (!allStored) this.refusalWaits = true;
    else if (this.refusalWaits) {
      this.refusal = null;
      this.refusalWaits = false;
      this.retry.settled();
    }
  }

  /** Records in the copy's flag whether this page holds unconfirmed edits, and what the server has stored (localCopies.ts). */
  private markUnsaved(unsaved: boolean): void {
    markUnsaved(this.localName, this.doc.clientID, Y.getState(this.doc.store, this.doc.clientID), unsaved, (client) =>
      // -1 for a client the server holds nothing of: an entry at clock 0 (deletions alone) stays.
      this.stored.stateVector.has(client) || this.serverState.has(client) ? this.serverHolds(client) : -1,
    );
  }

  /** How far the server holds Yjs client `client`'s edits (its clock), as far as this page has heard: confirmed, or had at the sync. */
  private serverHolds(client: number): number {
    return Math.max(this.stored.stateVector.get(client) ?? 0, this.serverState.get(client) ?? 0);
  }

  /** {@link serverHolds} for every client the page has heard of. */
  private serverHoldsAll(): Map<number, number> {
    const all = new Map(this.serverState);
    for (const client of this.stored.stateVector.keys()) all.set(client, this.serverHolds(client));
    return all;
  }

  private localState(): StoredState {
    return { stateVector: Y.decodeStateVector(Y.encodeStateVector(this.doc)), deletions: this.deletions.tally() };
  }

  private computeSnapshot(): CollabStatus {
    if (this.ended) return { kind: 'ended', ...this.ended };
    // 'offline' is set by a failed connection, not while the first one is under way: no flash.
    if (!this.loaded) return { kind: 'loading', awaitingServer: this.copyLoaded && this.connection === 'offline' };
    return {
      kind: 'ready',
      doc: this.doc,
      provider: this.provider,
      synced: this.provider.synced,
      access: this.access,
      refusal: this.refusal,
      idTaken: this.taken.size > 0,
      setAside: this.setAside,
      keptOffline: this.keptOffline,
      isOffline: this.offline.isOffline,
      editLimit: this.editLimit,
      sessionChanges: this.sessionChanges,
      crowded: this.crowded,
      liveInterrupted: this.liveInterrupted,
    };
  }

  private computeSaveView(): SaveView {
    if (this.ended) return { kind: 'ended' };
    if (!this.loaded) return { kind: 'loading' };
    // During a quiet reconnect the badge says what is stored, as if connected: "Saved" still
    // means the server confirmed every edit on this screen, and new edits show "Saving…".
    const quiet = this.quietReconnect !== null && this.connection !== 'offline';
    const local = this.localState();
    const save = deriveSaveState({
      canWrite: this.access.canWrite,
      connection: quiet ? 'connected' : this.connection,
      synced: quiet || this.provider.synced,
      saveFailed: this.saveFailed,
      local,
      stored: this.stored,
    });
    return {
      kind: 'ready',
      save: this.calm.show(save),
      unconfirmed: this.access.canWrite && !isStored(local, this.stored) && !(this.confirmedAtOpen && isStored(local, this.confirmedAtOpen)),
    };
  }
}

function sameStatus(a: CollabStatus, b: CollabStatus): boolean {
  if (a.kind === 'ready' && b.kind === 'ready') {
    return a.synced === b.synced && a.access === b.access && a.refusal === b.refusal && a.setAside === b.setAside && a.keptOffline === b.keptOffline && a.sessionChanges === b.sessionChanges && a.crowded === b.crowded && a.liveInterrupted === b.liveInterrupted;
  }
  if (a.kind === 'ended' && b.kind === 'ended') return a.reason === b.reason;
  if (a.kind === 'loading' && b.kind === 'loading') return a.awaitingServer === b.awaitingServer;
  return a.kind === b.kind;
}

function sameSaveView(a: SaveView, b: SaveView): boolean {
  if (a.kind === 'ready' && b.kind === 'ready') return a.save === b.save && a.unconfirmed === b.unconfirmed;
  return a.kind === b.kind;
}
