import { randomUUID } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Observation } from '../../shared/domain/observation';
import { MessageType } from '../../shared/protocol/messageType';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { RawSocket } from './rawSocket';

/**
 * A hostile co-therapist's workbench: Yjs documents that start from what the server holds and
 * write whatever a raw socket can carry. gc is off, so values replaced or deleted inside one
 * transaction still travel with their content (as a crafted update would).
 */
export function craftFrom(state: Uint8Array, clientID?: number): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, state);
  // Set after applying: Yjs picks a new id when an applied update holds items of its own.
  if (clientID !== undefined) doc.clientID = clientID;
  return doc;
}

/** What `fn` writes into `doc`, as the update of that one transaction. */
export function updateOf(doc: Y.Doc, fn: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(fn);
  return Y.encodeStateAsUpdate(doc, before);
}

/**
 * An update with no structs and only a delete set (Yjs update format v1), e.g. deleting clocks
 * of someone else's client id that do not exist yet.
 */
export function deleteOnly(ranges: { client: number; clock: number; len: number }[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  const byClient = new Map<number, { clock: number; len: number }[]>();
  for (const r of ranges) byClient.set(r.client, [...(byClient.get(r.client) ?? []), r]);
  encoding.writeVarUint(e, byClient.size);
  for (const [client, rs] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, rs.length);
    for (const r of rs) {
      encoding.writeVarUint(e, r.clock);
      encoding.writeVarUint(e, r.len);
    }
  }
  return encoding.toUint8Array(e);
}

/** A struct written by hand: a GC placeholder, a deleted value under a root map's key, or a value after an item. */
export type HandStruct = { gc: number } | { map: string; key: string; deleted: number } | { after: [client: number, clock: number]; value: unknown };

/**
 * An update (Yjs v1) listing `runs` of `client`'s structs one after another, each from clock 0,
 * as Yjs's encoders never write them: a client listed twice, or a run with no structs.
 */
export function listedRuns(client: number, runs: HandStruct[][]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, runs.length);
  for (const run of runs) {
    encoding.writeVarUint(e, run.length);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 0);
    for (const s of run) {
      if ('gc' in s) {
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, s.gc);
      } else if ('map' in s) {
        // ContentDeleted (1) under a parent key (bit 6): the parent is a root type named by a string.
        encoding.writeUint8(e, 1 | 0x20);
        encoding.writeVarUint(e, 1);
        encoding.writeVarString(e, s.map);
        encoding.writeVarString(e, s.key);
        encoding.writeVarUint(e, s.deleted);
      } else {
        // ContentAny (8) with an origin (bit 8): parent and key are the origin's.
        encoding.writeUint8(e, 8 | 0x80);
        encoding.writeVarUint(e, s.after[0]);
        encoding.writeVarUint(e, s.after[1]);
        encoding.writeVarUint(e, 1);
        encoding.writeAny(e, s.value as Parameters<typeof encoding.writeAny>[1]);
      }
    }
  }
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/** A well-formed observation record; override any field to forge one. */
export function observation(over: Partial<Observation> & { authorId: string }): Observation {
  return { id: randomUUID(), tags: ['affect'], createdAt: Date.now(), kind: 'line', member: null, forCoTherapist: false, ...over };
}

/** The Yjs client id that wrote the visible value under `key` of a root map. */
export function writerOf(doc: Y.Doc, map: string, key: string): number | undefined {
  return (doc.getMap(map) as unknown as { _map: Map<string, Y.Item> })._map.get(key)?.id.client;
}

/**
 * Sends a sync step 1 and waits for the server's step 2: the server handles a socket's frames in
 * order, so everything sent before has been judged by then. Returns the server's whole state.
 */
export function roundTrip(raw: RawSocket): Promise<Uint8Array> {
  return askSync(raw, Y.encodeStateVector(new Y.Doc()));
}

/**
 * Sends sync step 1 with `stateVector` and resolves with what the answer carries, as one update:
 * the sync step 2, and the updates that came before it (a whole-note answer sends the changes
 * since the note's state was encoded first; see server/collab/syncAnswer.ts).
 */
export function askSync(raw: RawSocket, stateVector: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const before: Uint8Array[] = [];
    const onMessage = (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== MessageType.Sync) return;
      const kind = decoding.readVarUint(d);
      if (kind === syncProtocol.messageYjsUpdate) before.push(decoding.readVarUint8Array(d));
      if (kind !== syncProtocol.messageYjsSyncStep2) return;
      raw.ws.off('message', onMessage);
      const step2 = decoding.readVarUint8Array(d);
      resolve(before.length === 0 ? step2 : Y.mergeUpdates([step2, ...before]));
    };
    raw.ws.on('message', onMessage);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, stateVector);
    raw.ws.send(encoding.toUint8Array(e));
  });
}

/** The note's observations and answers in a state (as the server returned it). */
export function readState(state: Uint8Array): { doc: Y.Doc; notes: ReturnType<typeof sessionDoc> } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return { doc, notes: sessionDoc(doc) };
}

/**
 * A note a member crafted to be costly to read: one paragraph of `runs` two-letter runs, italic
 * and bold by turns (each run a Yjs item and a format item), as one update.
 */
export function formattedRuns(runs: number): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  sessionDoc(doc).note.insert(0, [paragraph]);
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  text.applyDelta(Array.from({ length: runs }, (_, i) => ({ insert: 'ab', attributes: i % 2 ? { bold: {} } : { italic: {} } })));
  return Y.encodeStateAsUpdate(doc);
}
