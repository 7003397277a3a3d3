import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { retryRefused } from '../../client/collab/refusalRetry';
import type { RefusalCode } from '../../shared/protocol/messageType';
import { readStoredState, type StoredState } from '../../shared/protocol/storedState';
import { covers } from './frameClient';
import { classifyHocuspocus, classifyYWebsocket, countingSocket, newCounters, type WireCounters } from './wire';

/** Where and how one simulated user connects. */
export interface ClientTarget {
  protocol: 'y-websocket' | 'hocuspocus';
  /** For y-websocket the room is appended as a path segment. */
  serverUrl: string;
  room: string;
  headers: Record<string, string>;
  /**
   * 'server': synced when the server answered our sync step 1. 'open': the relay holds no state
   * and never answers, so a client counts as synced once its socket is open.
   */
  syncedOn: 'server' | 'open';
}

/** Tandem's message 101: JSON notices (access, refused write, save failed). */
export interface TandemNotice {
  type: string;
  [key: string]: unknown;
}

/**
 * Counts the notices a run's clients get, by type, leaving out the access and hello notices
 * every connection gets: a benchmark run expects none of the rest (refused writes, failed saves).
 */
export function noticeCounter(): { notices: Record<string, number>; count: (notice: TandemNotice) => void } {
  const notices: Record<string, number> = {};
  return {
    notices,
    count: (n) => {
      if (n.type !== 'access' && n.type !== 'hello') notices[n.type] = (notices[n.type] ?? 0) + 1;
    },
  };
}

export interface ClientHooks {
  /** Tandem's message 100: the state vector the server has durably stored. */
  onSaved?(stateVector: Map<number, number>): void;
  /**
   * The same message whole, with the tally of deletions stored: a deletion does not move the
   * state vector, so only this tells when an edit that only deletes is stored.
   */
  onStored?(stored: StoredState): void;
  onNotice?(notice: TandemNotice): void;
  /**
   * Send a change the server refused for a reason that passes (its judge busy) again, as the
   * page does (client/collab/refusalRetry.ts): everything past what the server has stored.
   */
  retryRefused?: boolean;
}

/** One simulated user: its own Y.Doc and provider, as an app would hold them. */
export interface BenchClient {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly counters: WireCounters;
  readonly synced: boolean;
  /** Whether the socket is open (false as soon as disconnect() took effect). */
  readonly connected: boolean;
  /** Called on every transition to synced (first connect and each reconnect). */
  onSynced(listener: () => void): void;
  /** A close the provider will not retry (tandem's 44xx codes), if one happened. */
  readonly finalClose: { code: number; reason: string } | null;
  disconnect(): void;
  connect(): void;
  destroy(): void;
}

/** Creates and connects a client for `target` around `doc` (which may already hold content). */
export function createClient(target: ClientTarget, doc: Y.Doc, hooks: ClientHooks = {}): BenchClient {
  return target.protocol === 'hocuspocus' ? hocuspocusClient(target, doc) : yWebsocketClient(target, doc, hooks);
}

function yWebsocketClient(target: ClientTarget, doc: Y.Doc, hooks: ClientHooks): BenchClient {
  const counters = newCounters();
  const Socket = countingSocket(target.headers, counters, classifyYWebsocket);
  const provider = new WebsocketProvider(target.serverUrl, target.room, doc, {
    // The providers are typed for the DOM WebSocket; ws's class is what they run on in Node.
    WebSocketPolyfill: Socket as unknown as typeof WebSocket,
    // In-process providers of one room would otherwise sync through BroadcastChannel.
    disableBc: true,
    maxBackoffTime: 2500,
  });
  let stored = new Map<number, number>();
  const retry = hooks.retryRefused ? retryRefused(provider, doc, () => stored, () => true) : null;
  provider.messageHandlers[100] = (_encoder, decoder) => {
    const state = readStoredState(decoder);
    stored = state.stateVector;
    if (retry && covers(stored, Y.decodeStateVector(Y.encodeStateVector(doc)))) retry.settled();
    hooks.onSaved?.(state.stateVector);
    hooks.onStored?.(state);
  };
  provider.messageHandlers[101] = (_encoder, decoder) => {
    const notice = JSON.parse(decoding.readVarString(decoder)) as TandemNotice;
    if (retry && notice.type === 'refused') retry.refused(notice.code as RefusalCode);
    hooks.onNotice?.(notice);
  };
  let finalClose: { code: number; reason: string } | null = null;
  provider.on('closed', (event) => (finalClose = event));
  const listeners: (() => void)[] = [];
  let synced = false;
  const setSynced = (state: boolean): void => {
    if (state === synced) return;
    synced = state;
    if (state) for (const l of listeners) l();
  };
  if (target.syncedOn === 'open') provider.on('status', ({ status }) => setSynced(status === 'connected'));
  else provider.on('sync', (state: boolean) => setSynced(state));
  return {
    doc,
    awareness: provider.awareness,
    counters,
    get synced() {
      return synced;
    },
    get connected() {
      return provider.wsconnected;
    },
    onSynced: (l) => listeners.push(l),
    get finalClose() {
      return finalClose;
    },
    disconnect: () => {
      provider.disconnect();
      setSynced(false);
    },
    connect: () => provider.connect(),
    destroy: () => {
      retry?.stop();
      provider.destroy();
      // The provider made the awareness but leaves it to the doc's destroy; its 3 s timer would
      // otherwise keep the harness alive after a workload whose docs outlive it (paste).
      provider.awareness.destroy();
    },
  };
}

function hocuspocusClient(target: ClientTarget, doc: Y.Doc): BenchClient {
  const counters = newCounters();
  const Socket = countingSocket(target.headers, counters, classifyHocuspocus);
  // One socket per simulated user, as one browser tab has.
  const socket = new HocuspocusProviderWebsocket({ url: target.serverUrl, WebSocketPolyfill: Socket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: target.room, document: doc });
  provider.attach();
  const listeners: (() => void)[] = [];
  provider.on('synced', () => {
    for (const l of listeners) l();
  });
  const awareness = provider.awareness;
  if (!awareness) throw new Error('hocuspocus provider without awareness');
  return {
    doc,
    awareness,
    counters,
    get synced() {
      return provider.isSynced;
    },
    get connected() {
      return socket.status === 'connected';
    },
    onSynced: (l) => listeners.push(l),
    finalClose: null,
    disconnect: () => socket.disconnect(),
    connect: () => void socket.connect(),
    destroy: () => {
      provider.destroy();
      socket.destroy();
    },
  };
}
