import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * A compact, order-independent fingerprint of a document's deletions. A state vector says which
 * insertions a peer has, but deletions do not move it, so "Saved" compares this tally too: the
 * number of deleted clock units and a sum of per-unit hashes (mod 2^32), both updatable per range
 * in O(1), so they are kept incrementally instead of rescanning the document.
 */
export interface DeleteTally {
  count: number;
  sum: number;
}

const TWO32 = 4294967296;
const mod32 = (n: number) => ((n % TWO32) + TWO32) % TWO32;

function clientHash(client: number, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < 4; i++) {
    h ^= (client >>> (i * 8)) & 0xff;
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Adds the range [clock, clock + len) of `client` to the tally. Per unit k the hash is a·k + b. */
function addRange(t: DeleteTally, client: number, clock: number, len: number): void {
  const a = clientHash(client, 0) | 1;
  const b = clientHash(client, 0x9e3779b9);
  const sumOfClocks = mod32(clock * len + (len * (len - 1)) / 2);
  t.count += len;
  t.sum = mod32(mod32(Math.imul(a, sumOfClocks) >>> 0) + mod32(Math.imul(b, mod32(len)) >>> 0) + t.sum);
}

/** Yjs's delete set: deleted ranges per client (the class itself is not exported). */
export type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** The tally of a whole delete set (every range in it, each unit once). */
export function tallyDeleteSet(ds: DeleteSet): DeleteTally {
  const t: DeleteTally = { count: 0, sum: 0 };
  addDeleteSet(t, ds);
  return t;
}

function addDeleteSet(t: DeleteTally, ds: DeleteSet): void {
  for (const [client, ranges] of ds.clients) for (const r of ranges) addRange(t, client, r.clock, r.len);
}

/**
 * Keeps a document's delete tally current. Counts what each transaction deleted, plus structs that
 * arrive already garbage-collected (a peer's compacted state), which Yjs integrates without a delete.
 */
export function trackDeletions(doc: Y.Doc): { tally: () => DeleteTally; stop: () => void } {
  const t: DeleteTally = { count: 0, sum: 0 };
  const onTransaction = (tr: Y.Transaction) => {
    addDeleteSet(t, tr.deleteSet);
    for (const [client, after] of tr.afterState) {
      const before = tr.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      const structs = doc.store.clients.get(client) ?? [];
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const s = structs[i]!;
        if (s instanceof Y.GC) addRange(t, client, s.id.clock, s.length);
      }
    }
  };
  doc.on('afterTransaction', onTransaction);
  return { tally: () => ({ ...t }), stop: () => doc.off('afterTransaction', onTransaction) };
}

/** What a Saved message says the server stored. */
export interface StoredState {
  stateVector: Map<number, number>;
  deletions: DeleteTally;
}

export function writeStoredState(encoder: encoding.Encoder, stateVector: Uint8Array, deletions: DeleteTally): void {
  encoding.writeVarUint8Array(encoder, stateVector);
  encoding.writeVarUint(encoder, deletions.count);
  encoding.writeVarUint(encoder, deletions.sum);
}

export function readStoredState(decoder: decoding.Decoder): StoredState {
  const stateVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
  return { stateVector, deletions: { count: decoding.readVarUint(decoder), sum: decoding.readVarUint(decoder) } };
}

/** Whether everything in a local document (its insertions and deletions) is in the stored state. */
export function isStored(local: { stateVector: Map<number, number>; deletions: DeleteTally }, stored: StoredState): boolean {
  for (const [client, clock] of local.stateVector) if ((stored.stateVector.get(client) ?? 0) < clock) return false;
  return local.deletions.count === stored.deletions.count && local.deletions.sum === stored.deletions.sum;
}

/** Whether [from, to) lies inside the union of sorted, merged delete ranges. */
export function isCovered(ranges: { clock: number; len: number }[], from: number, to: number): boolean {
  let at = from;
  for (const r of ranges) {
    if (r.clock > at) break;
    at = Math.max(at, r.clock + r.len);
    if (at >= to) return true;
  }
  return at >= to;
}
