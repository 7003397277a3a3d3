/**
 * W7, memory per open note (issue 17, goal 7): N notes of a typical one-hour session are stored,
 * the server is restarted cold, and the notes are opened by their two writers and a reader each,
 * each writer adding a paragraph (so a server that builds a note's document only for writers has
 * built it). What the server's JS holds after a full GC (heap and ArrayBuffers), before and after,
 * over N, is what one open note costs; then every client leaves, and it is read again until it is
 * back to where it was (idle notes unloaded) or a bound passes. The notes are opened and left once
 * before, unmeasured.
 */
import * as Y from 'yjs';
import { appendParagraph, noteOf } from '../lib/docShape';
import type { Options, SystemName } from '../lib/options';
import type { ProbeSnapshot } from '../lib/probe';
import { closeRooms, openRooms, type Room } from '../lib/rooms';
import { Deployment, hasStorage } from '../lib/systems';
import { loadAutomergePaper, replay } from '../lib/traces';
import { untilQuiet } from './coldopen';
import { round, sleep, waitUntil } from '../lib/util';

interface Readings { idle: number; open: number; left: number }

export interface MemoryResult {
  system: SystemName;
  skipped: string | null;
  notes: number;
  /** Keystrokes of the automerge-paper trace in each note, and the characters they leave. */
  keystrokes: number;
  chars: number;
  /**
   * What the server's main thread holds after a full GC, MB: its heap, and the ArrayBuffers outside
   * it (external: Yjs encodings, socket buffers); warm (every note opened and left once), no note
   * open; N notes open; after they were left.
   */
  heapMb: Readings;
  externalMb: Readings;
  rssMb: Readings;
  /** (open − idle) ÷ N, MB: what one open note costs. */
  perNoteMb: { heap: number; external: number; rss: number };
  /** From the last client leaving until the heap was back within UNLOADED_MB of idle, s; null: not within UNLOAD_BOUND_S. */
  unloadedAfterS: number | null;
  correctness: { passed: boolean; notes: string[] };
}

/** Held above idle (heap and ArrayBuffers) still counted as "unloaded": V8's own bookkeeping moves by this much between GCs. */
const UNLOADED_MB = 1;
const UNLOAD_BOUND_S = 30;
const MB = 2 ** 20;

export async function runMemory(system: SystemName, opts: Options): Promise<MemoryResult> {
  const { notes, keystrokes } = opts.profile.memory;
  const seedDoc = new Y.Doc();
  replay(loadAutomergePaper(), appendParagraph(seedDoc), 0, keystrokes);
  const seed = Y.encodeStateAsUpdate(seedDoc);
  const text = noteOf(seedDoc).toString();
  seedDoc.destroy();
  const zero = { idle: 0, open: 0, left: 0 };
  const base = { system, notes, keystrokes, chars: text.length, heapMb: zero, externalMb: zero, rssMb: zero, perNoteMb: { heap: 0, external: 0, rss: 0 }, unloadedAfterS: null };
  if (!hasStorage(system, opts)) return { ...base, skipped: 'no storage: nothing to open after a restart', correctness: { passed: true, notes: [] } };

  const dep = new Deployment(system, opts);
  const problems: string[] = [];
  try {
    await dep.start('bulk');
    const names = await dep.createRooms(notes);
    closeRooms(await openRooms(dep, names, { seed }));
    // As the cold-open workload does: the reference stores in the background (y-leveldb), so the
    // stop waits until the server is quiet.
    await untilQuiet(dep.server!.pid);
    await dep.stop();

    // Cold, with a full GC before each reading. Every note is opened and left once before the
    // readings: the code that serves them, compiled meanwhile, is in the heap too (a 20-note run
    // left 1.5 MB more after the notes than before when the first reading followed one note: all
    // of it compiled code and feedback vectors, seen in heap snapshots), and it stays.
    await dep.start('heap');
    const server = dep.server!;
    closeRooms(await openAll(dep, names, text, problems));
    // Longer than any system's delay before it unloads a note nobody holds (tandem: 2 s).
    await sleep(5_000);
    const idle = await server.probe();
    const rooms = await openAll(dep, names, text, problems);
    const open = await server.probe();
    closeRooms(rooms);
    const t0 = performance.now();
    const left = await unloaded(() => server.probe(), heldBy(idle) + UNLOADED_MB * MB);
    const back = heldBy(left) <= heldBy(idle) + UNLOADED_MB * MB;
    if (!back) problems.push(`heap and ArrayBuffers stayed ${round((heldBy(left) - heldBy(idle)) / MB, 1)} MB above idle ${UNLOAD_BOUND_S} s after every client left`);
    const readings = (key: 'heapUsedBytes' | 'externalBytes' | 'rssBytes'): Readings => ({ idle: round(idle[key] / MB, 1), open: round(open[key] / MB, 1), left: round(left[key] / MB, 1) });
    const perNote = (key: 'heapUsedBytes' | 'externalBytes' | 'rssBytes'): number => round((open[key] - idle[key]) / MB / names.length, 3);
    return {
      ...base,
      skipped: null,
      heapMb: readings('heapUsedBytes'),
      externalMb: readings('externalBytes'),
      rssMb: readings('rssBytes'),
      perNoteMb: { heap: perNote('heapUsedBytes'), external: perNote('externalBytes'), rss: perNote('rssBytes') },
      unloadedAfterS: back ? round((performance.now() - t0) / 1000, 1) : null,
      correctness: { passed: problems.length === 0, notes: problems },
    };
  } finally {
    await dep.dispose();
  }
}

/** What the server's JS holds: its heap and the ArrayBuffers outside it (where Yjs encodings and socket buffers live). */
const heldBy = (s: ProbeSnapshot): number => s.heapUsedBytes + s.externalBytes;

/**
 * Opens `names` (two writers and a reader each, each writer adding a paragraph) and waits until each
 * reader holds the stored note. (The reference answers a new client before it has read the note
 * from storage and sends it once read, so "synced" comes first.)
 */
async function openAll(dep: Deployment, names: string[], text: string, problems: string[]): Promise<Room[]> {
  const rooms = await openRooms(dep, names, { seed: null, timeoutMs: 120_000 });
  const holds = (r: Room): boolean => noteOf(r.reader.doc).toString().includes(text);
  await waitUntil(() => rooms.every(holds), 30_000, 20);
  const short = rooms.filter((r) => !holds(r)).length;
  if (short > 0) problems.push(`${short} of ${rooms.length} readers did not get the stored note after the restart`);
  return rooms;
}

/**
 * Reads the probe (which runs a full GC first: the server was started with --expose-gc) every
 * half second until what the server holds (heldBy) is at most `target` bytes; at most UNLOAD_BOUND_S.
 */
async function unloaded(read: () => Promise<ProbeSnapshot>, target: number): Promise<ProbeSnapshot> {
  let last = await read();
  for (let waited = 0; heldBy(last) > target && waited < UNLOAD_BOUND_S * 1000; waited += 500) {
    await sleep(500);
    last = await read();
  }
  return last;
}
