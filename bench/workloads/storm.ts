/**
 * W3, reconnect storm: R sessions type for a while, then every client
 * drops at once, each writer makes offline edits, and all reconnect at the same instant. We time
 * each client back to synced and every session back to agreement (offline edits included).
 */
import type * as Y from 'yjs';
import type { BenchClient } from '../lib/clients';
import { LoadgenMonitor, loadgenProblems, type LoadgenStats } from '../lib/loadgen';
import { seedUpdate } from '../lib/docShape';
import type { Options, SystemName } from '../lib/options';
import { ProcSampler } from '../lib/procfs';
import { checkCorrectness, converged, openRooms, type Correctness, type Room } from '../lib/rooms';
import { percentilesOf, roundPercentiles, type Percentiles } from '../lib/stats';
import { Deployment, hasStorage } from '../lib/systems';
import { loadSeedText } from '../lib/traces';
import { caretAtEnd, DEFAULT_TYPING, typeKey, Typist } from '../lib/typist';
import { createRandom, round, sleep, waitUntil } from '../lib/util';
import { addCounters, diffCounters, newCounters, totalFrames, type WireCounters } from '../lib/wire';

export interface StormResult {
  system: SystemName;
  sessions: number;
  clients: number;
  offlineEditsPerWriter: number;
  /** Reconnect → synced, per client (relay: → socket open; it holds no state). */
  reconnectMs: Percentiles;
  /** Reconnect → every client synced. */
  allSyncedMs: number | null;
  /** Reconnect → every session's clients agree, offline edits included. */
  convergedMs: number | null;
  /** Clients not synced within the timeout. */
  failures: number;
  server: { cpuMs: number; peakCpuPct: number; peakRssMb: number; lagMaxMs: number };
  framesIn: number;
  bytesIn: number;
  loadgen: LoadgenStats;
  valid: boolean;
  problems: string[];
  correctness: Correctness;
}

export async function runStorm(system: SystemName, opts: Options): Promise<StormResult> {
  const p = opts.profile.storm;
  const dep = new Deployment(system, opts);
  try {
    await dep.start();
    const rooms = await openRooms(dep, await dep.createRooms(p.sessions), { seed: seedUpdate(loadSeedText()) });
    await typeFor(rooms, p.typeS, opts.seed);
    await waitUntil(() => rooms.every((r) => converged(r.all)), 10_000, 20);

    const server = dep.server!;
    const clients = rooms.flatMap((r) => r.all);
    const before = sumCounters(clients);
    const sampler = new ProcSampler(server.pid, 50);
    const loadgen = new LoadgenMonitor();
    sampler.start();
    const probe0 = await server.probe();
    loadgen.start();
    for (const c of clients) c.disconnect();
    await waitUntil(() => clients.every((c) => !c.connected), 10_000, 5);
    offlineEdits(rooms, p.offlineEdits);

    const synced = new Map<BenchClient, number>();
    const t0 = performance.now();
    for (const c of clients) c.onSynced(() => synced.has(c) || synced.set(c, performance.now() - t0));
    for (const c of clients) c.connect();
    const timeoutMs = p.timeoutS * 1000;
    const allSynced = await waitUntil(() => synced.size === clients.length, timeoutMs, 5);
    const allSyncedMs = allSynced ? performance.now() - t0 : null;
    const allConverged = await waitUntil(() => rooms.every((r) => converged(r.all)), Math.max(1000, timeoutMs - (performance.now() - t0)), 10);
    const convergedMs = allConverged ? performance.now() - t0 : null;
    const probe1 = await server.probe();
    const proc = sampler.stop();
    const lg = loadgen.stop(proc.cpuMs);
    // A storm saturates the load generator by design; only other people's CPU invalidates it.
    const problems = loadgenProblems(lg, opts.limits).filter((p) => p.startsWith('other'));
    const wire = diffCounters(sumCounters(clients), before);

    const correctness = await checkCorrectness(dep, rooms, null, hasStorage(system, opts));
    return {
      system,
      sessions: p.sessions,
      clients: clients.length,
      offlineEditsPerWriter: p.offlineEdits,
      reconnectMs: roundPercentiles(percentilesOf([...synced.values()])),
      allSyncedMs: allSyncedMs === null ? null : round(allSyncedMs, 1),
      convergedMs: convergedMs === null ? null : round(convergedMs, 1),
      failures: clients.length - synced.size,
      server: {
        cpuMs: round((probe1.cpuUs - probe0.cpuUs) / 1000, 1),
        peakCpuPct: round(proc.peakCpuPct, 1),
        peakRssMb: round(Math.max(proc.peakRssMb, probe1.maxRssBytes / 2 ** 20), 1),
        lagMaxMs: round(probe1.lagMaxMs, 2),
      },
      framesIn: totalFrames(wire),
      bytesIn: wire.bytes,
      loadgen: { cpuPct: round(lg.cpuPct, 1), lagP50Ms: round(lg.lagP50Ms, 3), lagP99Ms: round(lg.lagP99Ms, 3), lagMaxMs: round(lg.lagMaxMs, 3), foreignCpuPct: round(lg.foreignCpuPct, 1) },
      valid: problems.length === 0,
      problems,
      correctness,
    };
  } finally {
    await dep.dispose();
  }
}

/** Builds some history: every writer types at human rate for `seconds`. */
async function typeFor(rooms: Room[], seconds: number, seed: number): Promise<void> {
  const random = createRandom(seed);
  const typists = rooms.flatMap((r) =>
    r.writers.map((w, i) => {
      const text = r.texts[i]!;
      return new Typist(DEFAULT_TYPING, random, () => typeKey(text, random, DEFAULT_TYPING.deleteShare), () => w.awareness.setLocalStateField('cursor', caretAtEnd(text)));
    }),
  );
  for (const t of typists) t.start();
  await sleep(seconds * 1000);
  for (const t of typists) t.stop();
}

function offlineEdits(rooms: Room[], perWriter: number): void {
  for (const r of rooms) {
    r.texts.forEach((text: Y.XmlText) => {
      for (let i = 0; i < perWriter; i++) text.insert(text.length, 'o');
    });
  }
}

function sumCounters(clients: BenchClient[]): WireCounters {
  const sum = newCounters();
  for (const c of clients) addCounters(sum, c.counters);
  return sum;
}
