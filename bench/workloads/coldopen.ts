/**
 * W2, cold open of a long session: the automerge-paper trace is typed through each
 * system's own client path (one transaction per keystroke), so each stores it natively; then the
 * server is restarted and we time how long clients take to hold the whole note.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { createClient, type BenchClient } from '../lib/clients';
import { appendParagraph, covers, noteOf, sameContent } from '../lib/docShape';
import { covers as reaches } from '../lib/frameClient';
import type { Options, SystemName } from '../lib/options';
import { LoadgenMonitor } from '../lib/loadgen';
import { ProcSampler, readCpuMs } from '../lib/procfs';
import { whenSynced } from '../lib/rooms';
import { percentilesOf, roundPercentiles, type Percentiles } from '../lib/stats';
import { Deployment, hasStorage } from '../lib/systems';
import { loadAutomergePaper, replay, type SequentialTrace } from '../lib/traces';
import { dirBytes, round, sleep, waitUntil } from '../lib/util';

export interface ColdOpen {
  /**
   * 'cold-process': the first request after the restart, as the session left the note (includes
   * JIT warm-up and any compaction-on-load). 'cold-note': the process first served a warm-up note
   * (the trace's first 5,000 keystrokes), so what is timed is loading this note from storage (after any compaction the first open did).
   * These two open as the reader (tandem: the supervisor). 'cold-note-writer': as 'cold-note',
   * but a writer (tandem: a therapist, whose connection makes the server build the Y.Doc).
   */
  label: 'cold-process' | 'cold-note' | 'cold-note-writer';
  clients: number;
  /** Socket creation → the client holds the whole note, per client, ms. */
  fullSyncMs: Percentiles;
  /** Server CPU from the first connection until the last client held the note, ms. */
  serverCpuMs: number;
  peakRssMb: number;
  failures: number;
  /** CPU used by processes outside the benchmark meanwhile, % of one core. */
  otherCpuPct: number;
  /**
   * Writer only: the writer's first keystroke after the open, until a reader (connected after
   * the open) holds it; and the server CPU it took. Work a server defers past the open shows here.
   */
  firstEdit?: { ms: number; serverCpuMs: number; lagMaxMs: number };
  /** The server's longest event-loop stall from the first connection until the last client held the note, ms. */
  lagMaxMs: number;
}

export interface ColdOpenResult {
  system: SystemName;
  skipped: string | null;
  traceTxns: number;
  finalChars: number;
  /** Typing the trace in, until a second client held all of it, s. */
  feedS: number;
  feedServerCpuS: number;
  /**
   * The server's CPU from the start of the feed until it went quiet after it, s. Storage a server
   * does after relaying falls outside `feedServerCpuS`: y-leveldb queues every update's write on
   * one promise chain, and after the whole trace the reference kept writing 35 s past the window
   * (20 s of CPU, as much again as in it), more or less of it inside the window as the feed ran
   * slower or faster. Tandem's window waits for "Saved", so only compaction can follow it.
   */
  feedQuietServerCpuS: number;
  /** The server's longest event-loop stall while the trace was fed (compactions included), ms. */
  feedLagMaxMs: number;
  bytesStoredAfterFeed: number;
  /**
   * Every file in the server's data directory after the opens, as a graceful stop left it
   * (tandem: the SQLite file, its WAL checkpointed away), bytes. What "stored" counts.
   */
  bytesStoredAfterOpens: number;
  /**
   * The same for a server that was started, given the run's accounts and rooms, and stopped, with
   * nothing typed: what the store costs before any note (tandem: the schema's tables and indexes,
   * at least a page each). Absent in results from before it was measured.
   */
  bytesStoredEmpty?: number;
  /** Encoded size of the final state (Y.encodeStateAsUpdate), for scale. */
  stateBytes: number;
  /**
   * The storage floor for keeping the note's history: the same keystrokes in a Y.Doc with gc off
   * (every deleted character kept, so any past state can be shown from a state vector and delete
   * set), encoded. What a system stores beyond this is overhead, not history.
   */
  gcOffFloorBytes: number;
  opens: ColdOpen[];
  correctness: { passed: boolean; notes: string[] };
}

const OPEN_TIMEOUT_MS = 120_000;
/** Size of the warm-up note: enough keystrokes that opening it exercises the same code paths. */
const WARMUP_TXNS = 5_000;

export async function runColdOpen(system: SystemName, opts: Options, trace: SequentialTrace = loadAutomergePaper()): Promise<ColdOpenResult> {
  const traceTxns = Math.min(opts.profile.coldopen.traceTxns, trace.txns.length);
  const base = { system, traceTxns, finalChars: 0, feedS: 0, feedServerCpuS: 0, feedQuietServerCpuS: 0, feedLagMaxMs: 0, bytesStoredAfterFeed: 0, bytesStoredAfterOpens: 0, stateBytes: 0, gcOffFloorBytes: 0, opens: [] };
  if (!hasStorage(system, opts)) {
    return { ...base, skipped: 'no storage: nothing survives a restart', correctness: { passed: true, notes: [] } };
  }
  const bytesStoredEmpty = await emptyStoreBytes(system, opts);
  const dep = new Deployment(system, opts);
  const notes: string[] = [];
  try {
    await dep.start('bulk');
    const [room, warmRoom] = await dep.createRooms(2);
    if (!room || !warmRoom) throw new Error('no room');
    const warmDoc = (await feedTrace(dep, warmRoom, trace, Math.min(WARMUP_TXNS, traceTxns))).doc;
    const feed = await feedTrace(dep, room, trace, traceTxns);
    const expected = feed.doc;
    const text = expected.getXmlFragment('note').toString();
    if (traceTxns === trace.txns.length && !text.includes(trace.endContent)) notes.push('fed text differs from the trace end content');
    await dep.stop();
    const bytesStoredAfterFeed = dirBytes(dep.dataDir);
    keepData(dep, 'after-feed');

    const opens: ColdOpen[] = [];
    const plan: { label: ColdOpen['label']; clients: number }[] = [
      { label: 'cold-process', clients: 1 },
      ...opts.profile.coldopen.clients.map((clients) => ({ label: 'cold-note' as const, clients })),
      { label: 'cold-note-writer', clients: 1 },
    ];
    for (const step of plan) {
      await dep.start();
      if (step.label !== 'cold-process') await openCold(dep, warmRoom, warmDoc, step.label, 1);
      const open = await openCold(dep, room, expected, step.label, step.clients);
      if (open.failures) notes.push(`${open.failures} of ${step.clients} clients did not get the whole note (${step.label})`);
      opens.push(open);
      await dep.stop();
    }
    keepData(dep, 'after-opens');
    const result: ColdOpenResult = {
      ...base,
      skipped: null,
      finalChars: expected.getXmlFragment('note').toString().length,
      feedS: round(feed.seconds, 2),
      feedServerCpuS: round(feed.serverCpuS, 2),
      feedQuietServerCpuS: round(feed.quietServerCpuS, 2),
      feedLagMaxMs: round(feed.lagMaxMs, 1),
      bytesStoredAfterFeed,
      bytesStoredAfterOpens: dirBytes(dep.dataDir),
      bytesStoredEmpty,
      stateBytes: Y.encodeStateAsUpdate(expected).byteLength,
      gcOffFloorBytes: gcOffFloorBytes(trace, traceTxns),
      opens,
      correctness: { passed: notes.length === 0, notes },
    };
    expected.destroy();
    warmDoc.destroy();
    return result;
  } finally {
    await dep.dispose();
  }
}

/** The data directory of `system` started, given two rooms as the run is, and stopped, with nothing typed (ColdOpenResult.bytesStoredEmpty). */
async function emptyStoreBytes(system: SystemName, opts: Options): Promise<number> {
  const dep = new Deployment(system, opts);
  try {
    await dep.start('bulk');
    await dep.createRooms(2);
    await dep.stop();
    keepData(dep, 'empty');
    return dirBytes(dep.dataDir);
  } finally {
    await dep.dispose();
  }
}

/** With BENCH_KEEP_DATA=<dir>, copies the stopped server's data directory there, to see what the stored bytes are. */
function keepData(dep: Deployment, stage: string): void {
  const into = process.env.BENCH_KEEP_DATA;
  if (into) fs.cpSync(dep.dataDir, path.join(into, `${dep.name}-${stage}`), { recursive: true });
}

/** Encoded size of the first `txns` keystrokes of `trace` typed into a gc-off Y.Doc (see ColdOpenResult). */
export function gcOffFloorBytes(trace: SequentialTrace, txns: number): number {
  const doc = new Y.Doc({ gc: false });
  replay(trace, appendParagraph(doc), 0, txns);
  const bytes = Y.encodeStateAsUpdate(doc).byteLength;
  doc.destroy();
  return bytes;
}

/**
 * Types the trace into writer A's paragraph, yielding every 500 keystrokes so the socket drains,
 * then waits until a second client holds everything (tandem: and until Saved covers it).
 */
async function feedTrace(dep: Deployment, room: string, trace: SequentialTrace, txns: number): Promise<{ doc: Y.Doc; seconds: number; serverCpuS: number; quietServerCpuS: number; lagMaxMs: number }> {
  const doc = new Y.Doc();
  let savedSv = new Map<number, number>();
  let refused = false;
  const feeder = createClient(dep.target(room, 'writerA'), doc, { onSaved: (sv) => (savedSv = sv), onNotice: (n) => (refused ||= n.type === 'refused'), retryRefused: true });
  await whenSynced(feeder, 30_000);
  const text = appendParagraph(doc);
  const server = dep.server!;
  const cpu0 = (await server.probe()).cpuUs;
  const t0 = performance.now();
  for (let i = 0; i < txns; i += 500) {
    replay(trace, text, i, Math.min(txns, i + 500));
    await new Promise((resolve) => setImmediate(resolve));
    // Typed at machine speed into a long note, the keys can outrun what tandem lets one account make
    // Yjs do (writerLimits.ts, judging_busy): the page sends them again, and this waits for that.
    if (refused && (await waitUntil(() => reaches(savedSv, Y.decodeStateVector(Y.encodeStateVector(doc))), 120_000, 20))) refused = false;
  }
  const target = Y.decodeStateVector(Y.encodeStateVector(doc));
  const verifier = createClient(dep.target(room, 'reader'), new Y.Doc());
  const done = await waitUntil(() => covers(verifier.doc, target) && (dep.name !== 'tandem' || reaches(savedSv, target)), 1_200_000, 20);
  const seconds = (performance.now() - t0) / 1000;
  const end = await server.probe();
  const serverCpuS = (end.cpuUs - cpu0) / 1e6;
  if (!done || !sameContent(verifier.doc, doc)) throw new Error(`${dep.name}: the fed trace did not reach a second client`);
  feeder.destroy();
  verifier.destroy();
  verifier.doc.destroy();
  const quiet = await untilQuiet(server.pid);
  return { doc, seconds, serverCpuS, quietServerCpuS: serverCpuS + quiet / 1000, lagMaxMs: end.lagMaxMs };
}

/**
 * Waits until `pid` used under 5 % of a core for 3 s in a row (at most 5 min); resolves with the
 * CPU it used meanwhile, ms. An idle server with the probe loaded uses about 1 %.
 */
export async function untilQuiet(pid: number): Promise<number> {
  const start = readCpuMs(pid);
  let last = start;
  for (let quietFor = 0, waited = 0; quietFor < 3_000 && waited < 300_000; waited += 500) {
    await sleep(500);
    const now = readCpuMs(pid);
    quietFor = now - last < 25 ? quietFor + 500 : 0;
    last = now;
  }
  return last - start;
}

/** `n` empty clients connect at once to a freshly started server; each is timed to the full note. */
async function openCold(dep: Deployment, room: string, expected: Y.Doc, label: ColdOpen['label'], n: number): Promise<ColdOpen> {
  const server = dep.server!;
  const target = Y.decodeStateVector(Y.encodeStateVector(expected));
  const sampler = new ProcSampler(server.pid, 50);
  const loadgen = new LoadgenMonitor();
  sampler.start();
  const cpu0 = (await server.probe()).cpuUs;
  loadgen.start();
  const times: number[] = [];
  const clients: BenchClient[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const doc = new Y.Doc();
    let done = false;
    doc.on('update', () => {
      if (!done && covers(doc, target)) {
        done = true;
        times.push(performance.now() - t0);
      }
    });
    clients.push(createClient(dep.target(room, label === 'cold-note-writer' ? 'writerA' : 'reader'), doc));
  }
  await waitUntil(() => times.length === n, OPEN_TIMEOUT_MS, 2);
  const probe = await server.probe();
  const proc = sampler.stop();
  const lg = loadgen.stop(proc.cpuMs);
  const failures = clients.filter((c) => !sameContent(c.doc, expected)).length;
  const firstEdit = label === 'cold-note-writer' && clients[0] ? await timeFirstEdit(dep, room, clients[0].doc) : undefined;
  for (const c of clients) {
    c.destroy();
    c.doc.destroy();
  }
  return {
    label,
    clients: n,
    fullSyncMs: roundPercentiles(percentilesOf(times)),
    serverCpuMs: round((probe.cpuUs - cpu0) / 1000, 1),
    lagMaxMs: round(probe.lagMaxMs, 1),
    peakRssMb: round(Math.max(proc.peakRssMb, probe.maxRssBytes / 2 ** 20), 1),
    failures,
    otherCpuPct: round(lg.foreignCpuPct, 1),
    ...(firstEdit ? { firstEdit } : {}),
  };
}

/** One keystroke in `writer`'s doc (which holds the note), timed until a fresh reader has it. */
async function timeFirstEdit(dep: Deployment, room: string, writer: Y.Doc): Promise<{ ms: number; serverCpuMs: number; lagMaxMs: number }> {
  const server = dep.server!;
  const reader = createClient(dep.target(room, 'reader'), new Y.Doc());
  const held = Y.decodeStateVector(Y.encodeStateVector(writer));
  if (!(await waitUntil(() => covers(reader.doc, held), OPEN_TIMEOUT_MS, 2))) throw new Error(`${dep.name}: the reader did not get the note`);
  const cpu0 = (await server.probe()).cpuUs;
  const note = noteOf(writer);
  const t0 = performance.now();
  ((note.get(note.length - 1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'x');
  const target = Y.decodeStateVector(Y.encodeStateVector(writer));
  const arrived = await waitUntil(() => covers(reader.doc, target), OPEN_TIMEOUT_MS, 1);
  const ms = performance.now() - t0;
  const end = await server.probe();
  const serverCpuMs = (end.cpuUs - cpu0) / 1000;
  reader.destroy();
  reader.doc.destroy();
  if (!arrived) throw new Error(`${dep.name}: the first edit after the open did not reach the reader`);
  return { ms: round(ms, 1), serverCpuMs: round(serverCpuMs, 1), lagMaxMs: round(end.lagMaxMs, 1) };
}
