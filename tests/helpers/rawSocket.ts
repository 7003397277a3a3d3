import { deferCleanup } from './services';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType, type ServerNotice } from '../../shared/protocol/messageType';

export interface RawSocket {
  ws: WebSocket;
  notices: ServerNotice[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A websocket with no Yjs provider: it sends exactly the bytes a test crafts. */
export function openRaw(baseUrl: string, sessionId: string, headers: Record<string, string>): Promise<RawSocket> {
  const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/sync/' + sessionId, { headers });
  deferCleanup(() => ws.terminate());
  const notices: ServerNotice[] = [];
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) === MessageType.Notice) notices.push(JSON.parse(decoding.readVarString(d)) as ServerNotice);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, notices, closed }));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** The HTTP status with which an upgrade is refused (or 101 when it is accepted). */
export function upgradeStatus(baseUrl: string, path: string, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, { headers });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(0));
  });
}

/** A sync "update" frame carrying `update`, exactly as y-websocket frames one. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/**
 * Everything the server sends a raw socket of the note, applied to a fresh Y.Doc: it asks for the
 * whole document (sync step 1 with an empty state vector) and takes every sync answer and update
 * after it, as any client could.
 */
export function mirrorNote(raw: RawSocket): Y.Doc {
  const doc = new Y.Doc();
  raw.ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) !== MessageType.Sync) return;
    syncProtocol.readSyncMessage(d, encoding.createEncoder(), doc, 'server');
  });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeSyncStep1(e, new Y.Doc());
  raw.ws.send(encoding.toUint8Array(e));
  return doc;
}
