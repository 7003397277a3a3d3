/**
 * W1, steady collaborative typing: R sessions × (2 writers + 1 reader), human-rate
 * typing with presence, swept upward in R. Also the engine of the durable-ack workload.
 */
import { noticeCounter } from '../lib/clients';
import { DeliveryTracker } from '../lib/delivery';
import { seedUpdate } from '../lib/docShape';
import { checkFrameCorrectness, openFrameRooms, sendPresence, typeNextKey, type FrameRoom, type Placement } from '../lib/frameRooms';
import { LoadgenMonitor, loadgenProblems, type LoadgenStats } from '../lib/loadgen';
import { SWEEP_LIMITS, type Options, type SystemName } from '../lib/options';
import { ProcSampler } from '../lib/procfs';
import type { Correctness } from '../lib/rooms';
import { roundPercentiles, type Percentiles } from '../lib/stats';
import { Deployment, hasStorage, type SharedBackend } from '../lib/systems';
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
  /** Server processes (2 in the scale-out row: clients split across them). */
  processes: number;
  /** Scale-out: deliveries between clients of one process, and across the Redis hop. */
  sameProcessMs: Percentiles | null;
  crossProcessMs: Percentiles | null;
  /** CPU per edit typed of the services beside the servers (scale-out: PostgreSQL, Redis), µs. */
  servicesCpuUsPerEdit: Record<string, number> | null;
}

/** CPU of processes beside the servers under test (PostgreSQL, Redis), over a window. */
export interface ServicesMeter {
  /** Called once the clients are connected (the servers' connections to the services are open). */
  start(dep: Deployment): Promise<void>;
  /** CPU ms per service since start(). */
  stop(): Record<string, number>;
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
export async function runTypingStep(
  system: SystemName,
  params: TypingParams,
  opts: Options,
  scaleOut: { backend: SharedBackend; meter: ServicesMeter } | null = null,
): Promise<TypingStep> {
  const dep = new Deployment(system, opts, scaleOut?.backend ?? null);
  const processes = scaleOut?.backend.processes ?? 1;
  try {
    await dep.start();
    const tracker = new DeliveryTracker(system === 'tandem');
    const { notices, count: countNotice } = noticeCounter();
    const script = new TypingScript(seedUpdate(loadSeedText()), DEFAULT_TYPING, opts.seed);
    // Scale-out: the co-therapists on different processes, the reader alternating between them.
    const placement: Placement = (index, role) => (processes < 2 ? 0 : role === 'writerA' ? 0 : role === 'writerB' ? 1 : index % 2);
    const rooms = await openFrameRooms(dep, await dep.createRooms(params.sessions), script, tracker, countNotice, placement);
    const typists = startTyping(rooms, opts.seed);
    await sleep(params.warmupS * 1000);

    const servers = dep.servers;
    const samplers = servers.map((s) => new ProcSampler(s.pid));
    const loadgen = new LoadgenMonitor();
    await scaleOut?.meter.start(dep);
    tracker.windowOpen = true;
    const before = sumCounters(rooms);
    for (const s of samplers) s.start();
    const probes0 = await Promise.all(servers.map((s) => s.probe()));
    loadgen.start();
    await sleep(params.measureS * 1000);
    const procs = samplers.map((s) => s.stop());
    const servicesCpuMs = scaleOut?.meter.stop() ?? {};
    const servicesTotalMs = Object.values(servicesCpuMs).reduce((a, b) => a + b, 0);
    const lg = loadgen.stop(procs.reduce((n, p) => n + p.cpuMs, 0) + servicesTotalMs);
    tracker.windowOpen = false;
    const probes1 = await Promise.all(servers.map((s) => s.probe()));
    const wire = diffCounters(sumCounters(rooms), before);
    for (const t of typists) t.stop();

    await waitUntil(() => tracker.undelivered() === 0 && (system !== 'tandem' || tracker.unacked() === 0), params.drainS * 1000, 20);
    const correctness = await checkFrameCorrectness(dep, rooms, tracker, script, hasStorage(system, opts));

    const edits = tracker.sentInWindow;
    const cpuUs = probes1.reduce((n, p, i) => n + p.cpuUs - (probes0[i]?.cpuUs ?? 0), 0);
    const latency = roundPercentiles(tracker.latency.percentiles());
    const max = (values: number[]): number => Math.max(0, ...values);
    // Several processes: CPU % and RSS are summed (the deployment's), lag is the worst process's.
    const serverWindow: ServerWindow = {
      cpuPct: round(procs.reduce((n, p) => n + p.cpuPct, 0), 1),
      peakCpuPct: round(procs.reduce((n, p) => n + p.peakCpuPct, 0), 1),
      cpuUsPerEdit: round(cpuUs / Math.max(1, edits), 1),
      cpuUsPerDelivery: round(cpuUs / Math.max(1, tracker.deliveredInWindow), 1),
      peakRssMb: round(procs.reduce((n, p, i) => n + Math.max(p.peakRssMb, (probes1[i]?.maxRssBytes ?? 0) / 2 ** 20), 0), 1),
      meanRssMb: round(procs.reduce((n, p) => n + p.meanRssMb, 0), 1),
      lagP50Ms: round(max(probes1.map((p) => p.lagP50Ms)), 3),
      lagP99Ms: round(max(probes1.map((p) => p.lagP99Ms)), 3),
      lagMaxMs: round(max(probes1.map((p) => p.lagMaxMs)), 3),
      gcMs: round(probes1.reduce((n, p) => n + p.gcMs, 0), 1),
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
      processes,
      sameProcessMs: processes > 1 ? roundPercentiles(tracker.sameProcessLatency.percentiles()) : null,
      crossProcessMs: processes > 1 ? roundPercentiles(tracker.crossProcessLatency.percentiles()) : null,
      servicesCpuUsPerEdit: scaleOut ? Object.fromEntries(Object.entries(servicesCpuMs).map(([k, ms]) => [k, round((ms * 1000) / Math.max(1, edits), 1)])) : null,
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
