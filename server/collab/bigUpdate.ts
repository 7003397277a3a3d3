import * as Y from 'yjs';
import { CHUNK_BYTES, chunkUpdate } from '../../shared/protocol/updateParts';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { noteShape } from './noteShape';
import type { UpdateFacts } from './updateFacts';
import { inspectUpdate, knownFromDoc } from './updateGate';

/**
 * From this size on, a client's update is judged off the event loop and applied in pieces. A 4 MB
 * paste sent whole took 0.3 s to judge and 0.3 s to apply in one turn of the loop (CPU profile of
 * the paste bench), and every other note's keystrokes waited for both. The client app sends large
 * changes in pieces of `CHUNK_BYTES`, which stay on the quick path.
 */
export const OFF_LOOP_BYTES = 4 * CHUNK_BYTES;

/**
 * From this many structs on, a smaller update is judged off the event loop too: judging and
 * applying cost by the struct, not the byte, and one-clock placeholders take 2 bytes each (an
 * update of 120,000 in 240 KB held the loop 0.3–1.5 s, attack, 3 Dec). Typing sends a few per
 * update; this many take ~25 ms in line.
 */
const OFF_LOOP_STRUCTS = 10_000;

/** Whether `update` is big by its bytes or by its structs (then decoded once more to count them). */
export function isBigUpdate(update: Uint8Array): boolean {
  if (update.byteLength >= OFF_LOOP_BYTES) return true;
  // Fewer bytes cannot hold that many structs (each takes 2 at least).
  if (update.byteLength < 2 * OFF_LOOP_STRUCTS) return false;
  try {
    return Y.decodeUpdate(update).structs.length >= OFF_LOOP_STRUCTS;
  } catch {
    // Not an update: the gate says so.
    return false;
  }
}

/** What a big update is judged against and with: the note's whole state, and the update. */
export interface BigUpdateInput {
  /** The note when the update was taken up, as updates to apply in order (WholeNote.parts). */
  state: Uint8Array[];
  update: Uint8Array;
}

/**
 * What the update would do to that state (as `inspectUpdate` says) and the update cut into pieces
 * of about `CHUNK_BYTES` to apply in order; `malformed` when the bytes are not a Yjs update.
 */
export type BigUpdateJudgement = { facts: UpdateFacts; pieces: Uint8Array[] } | { malformed: true };

/** Where the judging runs: a worker thread in the server (threadedJudge.ts), in line by default. */
export type JudgeBigUpdate = (input: BigUpdateInput) => Promise<BigUpdateJudgement>;

/**
 * Judges an update against a copy of the note built from its state: the same `inspectUpdate`
 * as the quick path, on a Y.Doc that holds what the note holds. Pure CPU work on bytes.
 */
export function judgeBigUpdate({ state, update }: BigUpdateInput): BigUpdateJudgement {
  const doc = new Y.Doc();
  try {
    // The note creates its watched root types up front; so does its copy (see SharedDoc).
    sessionDoc(doc);
    doc.transact(() => {
      for (const part of state) Y.applyUpdate(doc, part);
    });
    let facts: UpdateFacts;
    try {
      facts = inspectUpdate(knownFromDoc(doc), update, noteShape);
    } catch {
      return { malformed: true };
    }
    // Only an update that will be applied as it is needs its pieces.
    const pieces = facts.complete && facts.changesDoc && facts.problem === null ? chunkUpdate(update, CHUNK_BYTES) : [update];
    return { facts, pieces };
  } finally {
    doc.destroy();
  }
}

export const judgeInLine: JudgeBigUpdate = async (input) => judgeBigUpdate(input);

/** The judge holds as many bytes as it may: the update is not taken now (see `boundedJudge`). */
export class JudgeBusyError extends Error {
  override readonly name = 'JudgeBusyError';
}

/**
 * One judge for every note: at most `maxBytes` of big updates (and the note states they are judged
 * against) wait for it or are being judged at once; past it `JudgeBusyError`, and the sender is told
 * to come back. Each note bounds what waits behind its own big update, but a clinician may open
 * many notes: thirty notes fed 9 MB updates held 6 GB and kept every other note's paste waiting.
 * One update alone is always taken, whatever its size (the message limit bounds it).
 */
export function boundedJudge(judge: JudgeBigUpdate, maxBytes = 64 * 1024 * 1024): JudgeBigUpdate {
  let held = 0;
  return async (input) => {
    const bytes = input.state.reduce((n, part) => n + part.byteLength, input.update.byteLength);
    if (held > 0 && held + bytes > maxBytes) throw new JudgeBusyError('other large changes are being checked');
    held += bytes;
    try {
      return await judge(input);
    } finally {
      held -= bytes;
    }
  };
}
