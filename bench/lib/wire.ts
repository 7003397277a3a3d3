import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';

/** Frame kinds counted on the client side. 'ack' = tandem's Saved or Hocuspocus's SyncStatus. */
export type FrameKind = 'sync' | 'awareness' | 'ack' | 'other';

/** Inbound frames and bytes of one client (or of many: counters are plain sums). */
export interface WireCounters {
  frames: Record<FrameKind, number>;
  bytes: number;
}

export const newCounters = (): WireCounters => ({ frames: { sync: 0, awareness: 0, ack: 0, other: 0 }, bytes: 0 });

export function addCounters(into: WireCounters, from: WireCounters): void {
  for (const k of Object.keys(into.frames) as FrameKind[]) into.frames[k] += from.frames[k];
  into.bytes += from.bytes;
}

export function diffCounters(after: WireCounters, before: WireCounters): WireCounters {
  const d = newCounters();
  for (const k of Object.keys(d.frames) as FrameKind[]) d.frames[k] = after.frames[k] - before.frames[k];
  d.bytes = after.bytes - before.bytes;
  return d;
}

export const totalFrames = (c: WireCounters): number => c.frames.sync + c.frames.awareness + c.frames.ack + c.frames.other;

/** y-websocket framing: varUint type (0 sync, 1 awareness; tandem adds 100 Saved, 101 Notice). */
export function classifyYWebsocket(frame: Uint8Array): FrameKind {
  const type = frame[0];
  if (type === 0) return 'sync';
  if (type === 1) return 'awareness';
  if (type === 100) return 'ack';
  return 'other';
}

/** Hocuspocus framing: varString document name, then varUint type (0/4 sync, 1 awareness, 8 sync status = ack). */
export function classifyHocuspocus(frame: Uint8Array): FrameKind {
  try {
    const d = decoding.createDecoder(frame);
    decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === 0 || type === 4) return 'sync';
    if (type === 1) return 'awareness';
    if (type === 8) return 'ack';
    return 'other';
  } catch {
    return 'other';
  }
}

const byteView = (data: WebSocket.RawData): Uint8Array => {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
};

/** What the providers construct: `new Socket(url, protocols)`. */
export type SocketClass = new (address: string | URL, protocols?: string | string[]) => WebSocket;

/**
 * A `ws` WebSocket for the providers' WebSocketPolyfill option: sends our headers (cookie,
 * origin), never offers compression, and counts what it receives.
 */
export function countingSocket(
  headers: Record<string, string>,
  counters: WireCounters,
  classify: (frame: Uint8Array) => FrameKind,
): SocketClass {
  return class BenchSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      const list = typeof protocols === 'string' ? [protocols] : (protocols ?? []);
      super(address, list, { headers, perMessageDeflate: false });
      this.on('message', (data: WebSocket.RawData) => {
        const frame = byteView(data);
        counters.bytes += frame.byteLength;
        counters.frames[classify(frame)]++;
      });
    }
  };
}
