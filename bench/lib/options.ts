import { LOADGEN_LIMITS, type LoadgenLimits } from './loadgen';

/** Command-line flags and the three profiles (smoke for tests, quick for CI, full for the report). */
export const SYSTEMS = ['tandem', 'reference', 'hocuspocus', 'relay'] as const;
export type SystemName = (typeof SYSTEMS)[number];
export const WORKLOADS = ['typing', 'coldopen', 'storm', 'ack', 'paste', 'record', 'scaleout', 'memory'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface Profile {
  name: 'smoke' | 'quick' | 'full';
  typing: {
    /** Sessions per step (each 2 writers + 1 reader), swept upward. */
    sessions: number[];
    warmupS: number;
    measureS: number;
    /** Longest wait for in-flight edits after typing stops. */
    drainS: number;
  };
  coldopen: {
    /** Transactions of the automerge-paper trace fed in (259,778 = all of it). */
    traceTxns: number;
    /** Clients opening the cold note at once, one measurement each. */
    clients: number[];
  };
  storm: { sessions: number; typeS: number; offlineEdits: number; timeoutS: number };
  ack: { sessions: number; warmupS: number; measureS: number };
  /** The long paste (tandem): its size. */
  paste: { megabytes: number };
  /**
   * The long record of corrections (tandem): A's paragraphs, then `steps` steps of
   * `editsPerStep` corrections by B, one frame each, after `warmupSteps` such steps in another
   * note (not reported) for the server's code to be compiled.
   */
  record: { paragraphs: number; steps: number; editsPerStep: number; warmupSteps: number };
  /**
   * Memory per open note: `notes` notes of `keystrokes` of the automerge-paper trace each (15,000:
   * about 10,000 characters, a long one-hour note typed by two people), open at once.
   */
  memory: { notes: number; keystrokes: number };
  /** Tandem on PostgreSQL + Redis, one and two processes: typing steps at these R. */
  scaleout: { sessions: number[] };
  /**
   * Seconds the whole run may spend waiting for other people's jobs to leave the cores (before
   * starting, and before repeating a step they disturbed). Bounded so a busy host cannot stall CI.
   */
  quietWaitBudgetS: number;
  /** Typing steps that may be repeated because other processes disturbed them (quick: keeps it < 5 min). */
  maxRepeats: number;
}

/** The sweep stops for a system once its p99 passes this, or its core saturates. */
export const SWEEP_LIMITS = { maxP99Ms: 50, maxServerCpuPct: 90 } as const;

export const PROFILES: Record<Profile['name'], Profile> = {
  smoke: {
    name: 'smoke',
    typing: { sessions: [2], warmupS: 0.2, measureS: 1, drainS: 3 },
    coldopen: { traceTxns: 3000, clients: [1, 3] },
    storm: { sessions: 2, typeS: 1, offlineEdits: 3, timeoutS: 10 },
    ack: { sessions: 2, warmupS: 0.5, measureS: 2 },
    paste: { megabytes: 0.5 },
    record: { paragraphs: 40, steps: 2, editsPerStep: 100, warmupSteps: 0 },
    scaleout: { sessions: [2] },
    memory: { notes: 2, keystrokes: 2_000 },
    quietWaitBudgetS: 0,
    maxRepeats: 0,
  },
  quick: {
    name: 'quick',
    typing: { sessions: [25, 100], warmupS: 3, measureS: 8, drainS: 5 },
    // The first 30,000 keystrokes (~19k chars), so cold open fits the quick run's 5-minute budget.
    coldopen: { traceTxns: 30_000, clients: [1, 10] },
    storm: { sessions: 50, typeS: 3, offlineEdits: 5, timeoutS: 30 },
    ack: { sessions: 25, warmupS: 2, measureS: 8 },
    paste: { megabytes: 4 },
    // ~4,800 struck letters by the end, near the 6,000 where the rebuilt index cost 7.7 ms a frame.
    record: { paragraphs: 300, steps: 6, editsPerStep: 1000, warmupSteps: 3 },
    scaleout: { sessions: [25] },
    memory: { notes: 20, keystrokes: 15_000 },
    quietWaitBudgetS: 40,
    maxRepeats: 2,
  },
  full: {
    name: 'full',
    // On 2 cores the load generator's core saturates near R = 120 (three Y.Docs per session), so
    // the sweep is finer below that; larger R are still tried and marked invalid if it saturates.
    typing: { sessions: [25, 50, 100, 150, 200, 400], warmupS: 10, measureS: 30, drainS: 10 },
    coldopen: { traceTxns: 259_778, clients: [1, 10] },
    storm: { sessions: 200, typeS: 10, offlineEdits: 20, timeoutS: 60 },
    ack: { sessions: 100, warmupS: 10, measureS: 45 },
    paste: { megabytes: 4 },
    record: { paragraphs: 300, steps: 6, editsPerStep: 1000, warmupSteps: 3 },
    scaleout: { sessions: [50, 200] },
    memory: { notes: 100, keystrokes: 15_000 },
    quietWaitBudgetS: 900,
    maxRepeats: 20,
  },
};

export interface Options {
  /** Load-generator validity limits (set from the rig floor at the start of a run). */
  limits: LoadgenLimits;
  profile: Profile;
  systems: SystemName[];
  workloads: WorkloadName[];
  /** Print the result JSON as the last thing on stdout. */
  json: boolean;
  /** Result file; default bench/results/<ISO date>.json. */
  out: string | null;
  /** Pin servers to CPU 1 and the load generator to CPU 0 (needs ≥ 2 cores). */
  pin: boolean;
  /** Write a V8 CPU profile of tandem to bench/results/prof/. */
  serverCpuProf: boolean;
  hocuspocusDebounceMs: number;
  referenceStorage: 'leveldb' | 'none';
  /** Rewrite BENCHMARKS.md from this run (default: full runs without --out; --report forces it). */
  writeReport: boolean;
  seed: number;
  argv: string[];
}

const USAGE = `npm run bench -- [--quick | --full | --smoke] [--json] [--systems a,b] [--workloads a,b]
  [--sessions 50,100] [--warmup s] [--duration s] [--keystrokes n] [--out file] [--no-pin] [--cpu-prof]
  [--hocuspocus-debounce ms] [--reference-storage leveldb|none] [--report | --no-report] [--seed n]
npm run bench -- --report-from bench/results/<file>.json   (rewrite BENCHMARKS.md from a saved run)`;

export function parseArgs(argv: string[]): Options {
  let name: Profile['name'] = 'quick';
  const flags = new Map<string, string>();
  const bools = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (['--quick', '--full', '--smoke'].includes(arg)) name = arg.slice(2) as Profile['name'];
    else if (['--json', '--no-pin', '--cpu-prof', '--report', '--no-report', '--help'].includes(arg)) bools.add(arg);
    else if (arg.startsWith('--')) {
      const [key, inline] = arg.split('=', 2) as [string, string | undefined];
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${key} needs a value\n${USAGE}`);
      flags.set(key, value);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (bools.has('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const base = PROFILES[name];
  const profile: Profile = structuredClone(base);
  const list = (key: string): string[] | null => flags.get(key)?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const num = (key: string): number | null => (flags.has(key) ? Number(flags.get(key)) : null);
  const sessions = list('--sessions');
  if (sessions) profile.typing.sessions = sessions.map(Number);
  const warmup = num('--warmup');
  if (warmup !== null) profile.typing.warmupS = profile.ack.warmupS = warmup;
  const duration = num('--duration');
  if (duration !== null) profile.typing.measureS = profile.ack.measureS = duration;
  const keystrokes = num('--keystrokes');
  if (keystrokes !== null) {
    if (!Number.isSafeInteger(keystrokes) || keystrokes < 1) throw new Error('--keystrokes is a whole number of the trace\'s keystrokes, 1 or more');
    profile.coldopen.traceTxns = keystrokes;
  }

  const systems = (list('--systems') ?? (name === 'smoke' ? ['relay', 'reference', 'tandem'] : [...SYSTEMS])) as SystemName[];
  for (const s of systems) if (!SYSTEMS.includes(s)) throw new Error(`unknown system ${s}; one of ${SYSTEMS.join(', ')}`);
  // Smoke: typing, and the record of corrections (a few seconds), whose correctness the smoke test checks too.
  const workloads = (list('--workloads') ?? (name === 'smoke' ? ['typing', 'record'] : [...WORKLOADS])) as WorkloadName[];
  for (const w of workloads) if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w}; one of ${WORKLOADS.join(', ')}`);
  const storage = flags.get('--reference-storage') ?? 'leveldb';
  if (storage !== 'leveldb' && storage !== 'none') throw new Error('--reference-storage is leveldb or none');
  return {
    limits: { ...LOADGEN_LIMITS },
    profile,
    systems,
    workloads,
    json: bools.has('--json'),
    out: flags.get('--out') ?? null,
    pin: !bools.has('--no-pin'),
    serverCpuProf: bools.has('--cpu-prof'),
    hocuspocusDebounceMs: num('--hocuspocus-debounce') ?? 0,
    referenceStorage: storage,
    // BENCHMARKS.md summarises full runs; a quick (CI) run leaves it alone unless asked.
    writeReport: bools.has('--report') || (name === 'full' && !bools.has('--no-report') && flags.get('--out') === undefined),
    seed: num('--seed') ?? 42,
    argv,
  };
}
