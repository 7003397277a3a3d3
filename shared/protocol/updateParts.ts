import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MessageType } from './messageType';
import type { DeleteSet } from './storedState';

/** A decoded struct of a Yjs update. */
export type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Writes structs (per client, in clock order, each run contiguous) and a delete set as a Yjs v1
 * update, the way Yjs writes the updates it merges.
 */
export function encodeParts(parts: Map<number, Struct[]>, ds: DeleteSet): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const clients = Array.from(parts).filter(([, list]) => list.length > 0);
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const [client, list] of clients) {
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, list[0]!.id.clock);
    for (const s of list) s.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, ds.clients.size);
  for (const [client, ranges] of ds.clients) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const r of ranges) {
      encoder.writeDsClock(r.clock);
      encoder.writeDsLen(r.len);
    }
  }
  return encoder.toUint8Array();
}

/** Roughly what a struct takes in an update, to cut chunks near a size without encoding twice. */
function approxBytes(s: Struct): number {
  if (s instanceof Y.Item && s.content instanceof Y.ContentString) return 16 + 3 * s.content.str.length;
  if (s instanceof Y.Item && s.content instanceof Y.ContentAny) return 16 + JSON.stringify(s.content.arr).length;
  return 24;
}

/**
 * Cuts an update into updates of about `maxBytes` each (one struct may exceed it), to be applied in
 * the order returned: each client's structs stay in clock order and the delete set comes last.
 * A large paste sent this way is taken in by the server piece by piece, so other notes' edits
 * are relayed between the pieces instead of waiting for the whole. Small updates come back as is.
 */
export function chunkUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.byteLength <= maxBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const chunks: Uint8Array[] = [];
  let parts = new Map<number, Struct[]>();
  let size = 0;
  const flush = (deletions: DeleteSet) => {
    chunks.push(encodeParts(parts, deletions));
    parts = new Map();
    size = 0;
  };
  for (const s of structs) {
    if (size > 0 && size + approxBytes(s) > maxBytes) flush({ clients: new Map() });
    const list = parts.get(s.id.client);
    if (list && list.at(-1)!.id.clock + list.at(-1)!.length === s.id.clock) list.push(s);
    else {
      // A new run for this client (or a gap) starts a new part: a part holds one run per client.
      if (list) flush({ clients: new Map() });
      parts.set(s.id.client, [s]);
    }
    size += approxBytes(s);
  }
  flush(ds);
  return chunks;
}

/** Above this, an outgoing document update is sent in pieces (see `chunkUpdate`). */
export const CHUNK_BYTES = 64 * 1024;

/**
 * The sync frames (y-websocket: message type 0, update) that carry `update` in pieces of about
 * `maxBytes`; one frame when it is small.
 */
export function updateFrames(update: Uint8Array, maxBytes = CHUNK_BYTES): Uint8Array[] {
  return chunkUpdate(update, maxBytes).map((piece) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, piece);
    return encoding.toUint8Array(e);
  });
}

/**
 * The document update a sync frame carries (step 2 or update), or null for any other frame.
 * Never throws: a frame it cannot read is left for the server to judge.
 */
export function updateOfFrame(frame: Uint8Array): Uint8Array | null {
  try {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== MessageType.Sync) return null;
    const sub = decoding.readVarUint(d);
    return sub === SYNC_STEP2 || sub === SYNC_UPDATE ? decoding.readVarUint8Array(d) : null;
  } catch {
    return null;
  }
}

/** y-protocols/sync's sub-types (kept here so the shared code needs no y-protocols import). */
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
