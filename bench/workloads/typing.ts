/**
 * W1, steady collaborative typing: R sessions × (2 writers + 1 reader), human-rate
 * typing with presence, swept upward in R. Also the engine of the durable-ack workload.
 */
import type { TandemNotice } from '../lib/clients';
import { DeliveryTracker } from '../lib/delivery';
import { seedUpdate } from '../lib/docShape';
import { checkFrameCorrectness, openFrameRooms, sendPresence, typeNextKey, type FrameRoom } from '../lib/frameRooms';
import { LoadgenMonitor, loadgenProblems, type LoadgenStats } from '../lib/loadgen';
import { SWEEP_LIMITS, type Options, type SystemName } from '../lib/options';
import { ProcSampler } from '../lib/procfs';
import type { Correctness } from '../lib/rooms';
import { roundPercentiles, type Percentiles } from '../lib/stats';
import { Deployment, hasStorage } from '../lib/systems';
import { loadSeedText } from '../lib/traces';
import { DEFAULT_TYPING, Typist } from '../lib/typist';
import { TypingScript } from '../lib/typingScript';
import { createRandom, round, sleep, waitUntil } from '../lib/util';
import { diffCounters, newCounters, addCounters, totalFrames, type WireCounters } from '../lib/wire';

export interface ServerWindow {
  cpuPct: number;
  peakCpuPct: number;
  /** Server CPU per edit typed (all its threads). */
  cpuUsPerEdit: number;
  /** Server CPU per edit delivered to one other client. */
  cpuUsPerDelivery: number;
  peakRssMb: number;
  meanRssMb: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  gcMs: number;
}

export interface TypingStep {
  system: SystemName;
  sessions: number;
  clients: number;
  measureS: number;
  edits: number;
  editsPerS: number;
  deliveries: number;
  deliveriesPerS: number;
  /** Edit → receipt at another client, ms. */
  latencyMs: Percentiles;
  /** Edit → tandem's Saved covering it, ms (tandem only). */
  ackMs: Percentiles | null;
  /** Frames received by all clients per edit typed, by kind. */
  framesPerEdit: { total: number; sync: number; awareness: number; ack: number; other: number };
  bytesInPerEdit: number;
  server: ServerWindow;
  loadgen: LoadgenStats;
  /** False when the load generator, not the server, limited the window. */
  valid: boolean;
  problems: string[];
  /** p99 over 50 ms or the server core saturated: the sweep stops here for this system. */
  saturated: boolean;
  notices: Record<string, number>;
  correctness: Correctness;
}

export interface TypingParams {
  sessions: number;
  warmupS: number;
  measureS: number;
  drainS: number;
}

/**
 * Runs one step on a fresh server with a fresh data directory. The clients are frame-level
 * (`lib/frameClient.ts`): writers send pre-encoded keystrokes, receivers read update frames
 * without a Y.Doc, so the load generator stays far below the server's cost per edit.
 */
export async function runTypingStep(system: SystemName, params: TypingParams, opts: Options): Promise<TypingStep> {
  const dep = new Deployment(system, opts);
  try {
    await dep.start();
    const tracker = new DeliveryTracker(system === 'tandem');
    const notices: Record<string, number> = {};
    const countNotice = (n: TandemNotice): void => {
      if (n.type !== 'access' && n.type !== 'hello') notices[n.type] = (notices[n.type] ?? 0) + 1;
    };
    const script = new TypingScript(seedUpdate(loadSeedText()), DEFAULT_TYPING, opts.seed);
    const rooms = await openFrameRooms(dep, await dep.createRooms(params.sessions), script, tracker, countNotice);
    const typists = startTyping(rooms, opts.seed);
    await sleep(params.warmupS * 1000);

    const server = dep.server!;
    const sampler = new ProcSampler(server.pid);
    const loadgen = new LoadgenMonitor();
    tracker.windowOpen = true;
    const before = sumCounters(rooms);
    sampler.start();
    const probe0 = await server.probe();
    loadgen.start();
    await sleep(params.measureS * 1000);
    const proc = sampler.stop();
    const lg = loadgen.stop(proc.cpuMs);
    tracker.windowOpen = false;
    const probe1 = await server.probe();
    const wire = diffCounters(sumCounters(rooms), before);
    for (const t of typists) t.stop();

    await waitUntil(() => tracker.undelivered() === 0 && (system !== 'tandem' || tracker.unacked() === 0), params.drainS * 1000, 20);
    const correctness = await checkFrameCorrectness(dep, rooms, tracker, script, hasStorage(system, opts));

    const edits = tracker.sentInWindow;
    const cpuUs = probe1.cpuUs - probe0.cpuUs;
    const latency = roundPercentiles(tracker.latency.percentiles());
    const serverWindow: ServerWindow = {
      cpuPct: round(proc.cpuPct, 1),
      peakCpuPct: round(proc.peakCpuPct, 1),
      cpuUsPerEdit: round(cpuUs / Math.max(1, edits), 1),
      cpuUsPerDelivery: round(cpuUs / Math.max(1, tracker.deliveredInWindow), 1),
      peakRssMb: round(Math.max(proc.peakRssMb, probe1.maxRssBytes / 2 ** 20), 1),
      meanRssMb: round(proc.meanRssMb, 1),
      lagP50Ms: round(probe1.lagP50Ms, 3),
      lagP99Ms: round(probe1.lagP99Ms, 3),
      lagMaxMs: round(probe1.lagMaxMs, 3),
      gcMs: round(probe1.gcMs, 1),
    };
    const problems = loadgenProblems(lg, opts.limits);
    return {
      system,
      sessions: params.sessions,
      clients: params.sessions * 3,
      measureS: params.measureS,
      edits,
      editsPerS: round(edits / params.measureS, 1),
      deliveries: tracker.deliveredInWindow,
      deliveriesPerS: round(tracker.deliveredInWindow / params.measureS, 1),
      latencyMs: latency,
      ackMs: system === 'tandem' ? roundPercentiles(tracker.ackLatency.percentiles()) : null,
      framesPerEdit: perEdit(wire, edits),
      bytesInPerEdit: round(wire.bytes / Math.max(1, edits), 1),
      server: serverWindow,
      loadgen: { cpuPct: round(lg.cpuPct, 1), lagP50Ms: round(lg.lagP50Ms, 3), lagP99Ms: round(lg.lagP99Ms, 3), lagMaxMs: round(lg.lagMaxMs, 3), foreignCpuPct: round(lg.foreignCpuPct, 1) },
      valid: problems.length === 0,
      problems,
      saturated: latency.p99 > SWEEP_LIMITS.maxP99Ms || serverWindow.cpuPct > SWEEP_LIMITS.maxServerCpuPct,
      notices,
      correctness,
    };
  } finally {
    await dep.dispose();
  }
}

function startTyping(rooms: FrameRoom[], seed: number): Typist[] {
  const random = createRandom(seed);
  const typists = rooms.flatMap((room) => room.writers.map((w) => new Typist(DEFAULT_TYPING, random, () => typeNextKey(w), () => sendPresence(w))));
  for (const t of typists) t.start();
  return typists;
}

function sumCounters(rooms: FrameRoom[]): WireCounters {
  const sum = newCounters();
  for (const r of rooms) for (const c of r.all) addCounters(sum, c.counters);
  return sum;
}

function perEdit(c: WireCounters, edits: number): TypingStep['framesPerEdit'] {
  const n = Math.max(1, edits);
  return {
    total: round(totalFrames(c) / n, 2),
    sync: round(c.frames.sync / n, 2),
    awareness: round(c.frames.awareness / n, 2),
    ack: round(c.frames.ack / n, 2),
    other: round(c.frames.other / n, 2),
  };
}
