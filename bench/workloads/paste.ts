/**
 * W5, a long paste (tandem, issue 14): one therapist pastes a few MB into a note while, in another
 * note, a therapist types 25 keys a second; each of those keys is timed until a reader of that
 * note has it. The paste is sent as the client app sends it (in pieces of CHUNK_BYTES) and, for
 * comparison, whole (as a stock provider would). The bound: no key of the other note waits more
 * than 50 ms.
 */
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType } from '../../shared/protocol/messageType';
import { readStoredState } from '../../shared/protocol/storedState';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { CHUNK_BYTES, updateFrames } from '../../shared/protocol/updateParts';
import { createClient, type BenchClient } from '../lib/clients';
import type { Options } from '../lib/options';
import { whenSynced } from '../lib/rooms';
import { percentilesOf, roundPercentiles, type Percentiles } from '../lib/stats';
import { LoadgenMonitor } from '../lib/loadgen';
import { ProcSampler } from '../lib/procfs';
import { Deployment } from '../lib/systems';
import { round, sleep, waitUntil } from '../lib/util';

export interface PasteRun {
  mode: 'pieces' | 'whole';
  pasteBytes: number;
  frames: number;
  /** From sending the paste until the server said it stored all of it. */
  takenInMs: number;
  /** Keys typed in the other note while the paste was taken in, each until its reader had it. */
  otherNoteMs: Percentiles & { count: number };
  /** The server's longest event-loop stall while it took the paste in, ms (its probe). */
  serverLagMaxMs: number;
  /** The server's longest single GC pause in that window, ms: a stall the code's slicing cannot bound. */
  serverGcMaxMs?: number;
  /**
   * The load generator's own longest stall and the CPU of processes outside the benchmark over
   * the same window: a key's delay counts against the server only when these are small.
   */
  loadgen: { lagMaxMs: number; foreignCpuPct: number };
  /** Whether every key of the other note arrived within {@link BOUND_MS}. */
  boundHeld: boolean;
  correct: boolean;
}

/** Issue 14: no key of another note waits more than this for a long paste. */
export const BOUND_MS = 50;

/** Faster than anyone types, so that no stall of the server can fall between two keys unseen. */
const KEY_EVERY_MS = 40;

/** A paste of about `bytes` in paragraphs of 200 characters, on top of the note `base` holds. */
function pasteUpdate(base: Y.Doc, bytes: number): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  const note = doc.getXmlFragment(NOTE_FIELD);
  doc.transact(() => {
    const paragraphs = Math.ceil(bytes / 200);
    note.insert(note.length, Array.from({ length: paragraphs }, (_, i) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`${i} `.padEnd(200, 'pasted text '))]);
      return p;
    }));
  });
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

async function once(dep: Deployment, mode: PasteRun['mode'], bytes: number): Promise<PasteRun> {
  const [pasteRoom, typingRoom] = await dep.createRooms(2);
  const clients: BenchClient[] = [];
  const open = (room: string, role: 'writerA' | 'reader') => {
    const c = createClient(dep.target(room, role), new Y.Doc());
    clients.push(c);
    return c;
  };
  try {
    const typist = open(typingRoom!, 'writerA');
    const reader = open(typingRoom!, 'reader');
    const paster = open(pasteRoom!, 'writerA');
    await Promise.all([typist, reader, paster].map((c) => whenSynced(c, 10_000)));
    const update = pasteUpdate(paster.doc, bytes);
    // The paster only supplied the note the paste builds on. Left open, it would be sent the
    // paste and apply all of it here, in the process that times the other note's keys: that
    // stalled this process for up to 1.1 s, and the keys' delay was the load generator's own.
    paster.destroy();
    const frames = mode === 'pieces' ? updateFrames(update, CHUNK_BYTES) : updateFrames(update, Number.MAX_SAFE_INTEGER);
    const target = dep.target(pasteRoom!, 'writerA');
    const raw = new WebSocket(`${target.serverUrl}/${target.room}`, { headers: target.headers, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      raw.once('open', () => resolve());
      raw.once('error', reject);
    });
    // Taken in = stored: the server's Saved frames say what it holds durably. No client of that
    // note applies the paste here, so the load generator's own work does not enter the figures.
    let stored = new Map<number, number>();
    raw.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) === MessageType.Saved) stored = readStoredState(d).stateVector;
    });

    // The other note: one key every KEY_EVERY_MS, each timed until the reader's clock for the typist passes it.
    const text = (typist.doc.getXmlFragment(NOTE_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText | undefined;
    const paragraph = typist.doc.getXmlFragment(NOTE_FIELD).get(1) as Y.XmlElement;
    if (!text) paragraph.insert(0, [new Y.XmlText('')]);
    const typed: { clock: number; at: number; seenAt: number | null }[] = [];
    reader.doc.on('update', () => {
      const have = Y.getState(reader.doc.store, typist.doc.clientID);
      const now = performance.now();
      for (const t of typed) if (t.seenAt === null && have > t.clock) t.seenAt = now;
    });
    let typing = true;
    const typingDone = (async () => {
      while (typing) {
        const clock = Y.getState(typist.doc.store, typist.doc.clientID);
        typed.push({ clock, at: performance.now(), seenAt: null });
        ((paragraph.get(0) as Y.XmlText)).insert(0, 'k');
        await sleep(KEY_EVERY_MS);
      }
    })();
    await sleep(1000);
    const server = dep.server!;
    const sampler = new ProcSampler(server.pid, 50);
    const loadgen = new LoadgenMonitor();
    sampler.start();
    await server.probe();
    loadgen.start();
    const sentAt = performance.now();
    for (const frame of frames) raw.send(frame);
    const want = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
    const holdsAll = () => [...want].every(([client, clock]) => (stored.get(client) ?? 0) >= clock);
    const correct = await waitUntil(holdsAll, 120_000, 5);
    const doneAt = performance.now();
    const probe = await server.probe();
    const lg = loadgen.stop(sampler.stop().cpuMs);
    await sleep(1000);
    typing = false;
    await typingDone;
    await waitUntil(() => typed.every((t) => t.seenAt !== null), 10_000);
    raw.terminate();
    const during = typed.filter((t) => t.at >= sentAt - KEY_EVERY_MS && t.at <= doneAt).map((t) => (t.seenAt ?? Infinity) - t.at);
    const otherNoteMs = { ...roundPercentiles(percentilesOf(during)), count: during.length };
    return {
      mode,
      pasteBytes: update.byteLength,
      frames: frames.length,
      takenInMs: round(doneAt - sentAt, 1),
      otherNoteMs,
      serverLagMaxMs: round(probe.lagMaxMs, 1),
      serverGcMaxMs: round(probe.gcMaxMs, 1),
      loadgen: { lagMaxMs: round(lg.lagMaxMs, 1), foreignCpuPct: round(lg.foreignCpuPct, 0) },
      boundHeld: during.length > 0 && during.every((ms) => ms <= BOUND_MS),
      correct: correct && typed.every((t) => t.seenAt !== null),
    };
  } finally {
    for (const c of clients) c.destroy();
  }
}

export async function runPaste(opts: Options): Promise<PasteRun[]> {
  const dep = new Deployment('tandem', opts);
  try {
    await dep.start();
    const bytes = opts.profile.paste.megabytes * 1024 * 1024;
    return [await once(dep, 'pieces', bytes), await once(dep, 'whole', bytes)];
  } finally {
    await dep.dispose();
  }
}
