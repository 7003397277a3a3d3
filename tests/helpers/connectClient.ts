import { deferCleanup } from './services';
import { expect } from 'vitest';
import { createSession, expectStatus, type Clinic } from './api';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, type ServerNotice } from '../../shared/protocol/messageType';
import { isStored, readStoredState, trackDeletions, type StoredState } from '../../shared/protocol/storedState';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  notices: ServerNotice[];
  closes: { code: number; reason: string }[];
  /** What the server last confirmed as stored. */
  stored(): StoredState;
  /** Whether everything in this client's document is confirmed stored by the server. */
  isSaved(): boolean;
  text(): string;
  destroy(): void;
}

/** A ws WebSocket class that sends our cookie and a same-origin Origin, as a browser would. */
export function webSocketWith(headers: Record<string, string>): typeof globalThis.WebSocket {
  class HeaderWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  // y-websocket types its polyfill as the DOM WebSocket; ws's class is API-compatible for it.
  return HeaderWebSocket as unknown as typeof globalThis.WebSocket;
}

/**
 * The stock y-websocket provider in Node, logged in with `cookie`, with handlers for our Saved
 * and Notice messages. Text of the note is read as the XmlFragment's plain text.
 */
export function connectClient(
  baseUrl: string,
  sessionId: string,
  cookie: string | null,
  /** `wrapSocket` wraps the socket class the provider uses, as the browser client does (outgoingLimit.ts). */
  opts: { doc?: Y.Doc; connect?: boolean; wrapSocket?: (base: typeof globalThis.WebSocket) => typeof globalThis.WebSocket } = {},
): TestClient {
  const doc = opts.doc ?? new Y.Doc();
  const origin = new URL(baseUrl).origin;
  const socket = webSocketWith({ origin, ...(cookie ? { cookie } : {}) });
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', sessionId, doc, {
    WebSocketPolyfill: opts.wrapSocket ? opts.wrapSocket(socket) : socket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: 300,
  });
  let stored: StoredState = { stateVector: new Map(), deletions: { count: 0, sum: 0 } };
  const deletions = trackDeletions(doc);
  const notices: ServerNotice[] = [];
  const closes: { code: number; reason: string }[] = [];
  provider.messageHandlers[MessageType.Saved] = (_enc, dec) => {
    stored = readStoredState(dec);
  };
  provider.messageHandlers[MessageType.Notice] = (_enc, dec) => {
    notices.push(JSON.parse(decoding.readVarString(dec)) as ServerNotice);
  };
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const client: TestClient = {
    doc,
    provider,
    notices,
    closes,
    stored: () => stored,
    isSaved: () => isStored({ stateVector: Y.decodeStateVector(Y.encodeStateVector(doc)), deletions: deletions.tally() }, stored),
    text: () => noteText(doc),
    destroy: () => {
      deletions.stop();
      // Yjs gives a copy a new id when items come in under its own (a test forging another's id);
      // the provider's presence stays under the old one, which its teardown reads.
      doc.clientID = provider.awareness.clientID;
      provider.destroy();
      doc.destroy();
    },
  };
  deferCleanup(() => client.destroy());
  return client;
}

/** Plain text of the note: each top-level block on its own line. */
export function noteText(doc: Y.Doc): string {
  return doc
    .getXmlFragment('note')
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? xmlText(node) : node instanceof Y.XmlText ? plain(node) : ''))
    .join('\n');
}

/** Text without formatting markup (XmlText.toString would render marks as tags). */
function plain(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
}

function xmlText(el: Y.XmlElement): string {
  return el
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? plain(c) : xmlText(c as Y.XmlElement)))
    .join('');
}

/** Appends a paragraph with `text` at the end of the note (what typing a new line does). */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('note').push([p]);
}

/** What the server has of the note, read by a fresh connection of its own. */
export async function serverText(baseUrl: string, sessionId: string, cookie: string | null): Promise<string> {
  const reader = connectClient(baseUrl, sessionId, cookie);
  try {
    await new Promise<void>((resolve) => (reader.provider.synced ? resolve() : reader.provider.once('sync', () => resolve())));
    return reader.text();
  } finally {
    reader.destroy();
  }
}

/**
 * A started group session of M1 and M2 whose note holds `line`, written by A and confirmed stored,
 * with A's client still connected.
 */
export async function liveGroupWithLine(baseUrl: string, clinic: Clinic, line: string): Promise<{ id: string; a: TestClient }> {
  const id = await createSession(clinic);
  await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
  await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
  const a = connectClient(baseUrl, id, clinic.a.api.cookie);
  await expect.poll(() => a.provider.synced).toBe(true);
  appendParagraph(a.doc, line);
  await expect.poll(() => a.isSaved()).toBe(true);
  return { id, a };
}

/**
 * A started individual session of A and B (the supervisor reviewing), with each therapist's
 * client connected and synced.
 */
export async function liveSession(baseUrl: string, clinic: Clinic): Promise<{ id: string; a: TestClient; b: TestClient }> {
  const id = await createSession(clinic, 'individual');
  await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
  const a = connectClient(baseUrl, id, clinic.a.api.cookie);
  const b = connectClient(baseUrl, id, clinic.b.api.cookie);
  await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
  return { id, a, b };
}
