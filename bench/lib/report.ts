/**
 * The result file's shape, and the tables printed to the terminal and written to BENCHMARKS.md.
 * Every table is built once as rows of strings and rendered as text or Markdown.
 */
import type { ColdOpenResult } from '../workloads/coldopen';
import type { RigBaseline } from '../workloads/rig';
import type { MemoryResult } from '../workloads/memory';
import type { StormResult } from '../workloads/storm';
import { BOUND_MS, type PasteRun } from '../workloads/paste';
import type { RecordRun } from '../workloads/record';
import type { ScaleOutResult } from '../workloads/scaleout';
import type { TypingStep } from '../workloads/typing';
import type { LoadgenLimits } from './loadgen';
import type { MachineInfo } from './results';
import type { Options, Profile, SystemName } from './options';
import type { SystemInfo } from './systems';

export interface TargetCheck {
  name: string;
  value: number | null;
  limit: number;
  unit: string;
  /** null when a figure it needs was not measured in this run. */
  passed: boolean | null;
}

export interface TypingSummary {
  /**
   * Largest R at which every system held (p99 ≤ 50 ms, core not saturated) and every step was
   * valid: an overloaded load generator measures itself, not the servers. Without
   * such an R, the largest R every system held (allValid false), else the largest all ran
   * (allHeld false).
   */
  largestCommonSessions: number | null;
  allHeld: boolean;
  /** Whether every step at that R was valid (load generator and host within limits). */
  allValid: boolean;
  /** tandem ÷ peer at that R, per metric (lower is better for all). */
  ratios: Record<string, Record<string, number | null>>;
}

export interface BenchResult {
  schema: 'tandem-bench/1';
  startedAt: string;
  finishedAt: string;
  durationS: number;
  command: string;
  profile: Profile;
  options: Pick<Options, 'systems' | 'workloads' | 'pin' | 'hocuspocusDebounceMs' | 'referenceStorage' | 'seed'>;
  machine: MachineInfo;
  versions: Record<string, string>;
  systems: SystemInfo[];
  loadgenLimits: LoadgenLimits & { researchMaxLagP99Ms: number };
  rig: RigBaseline | null;
  workloads: {
    typing?: { steps: TypingStep[]; summary: TypingSummary };
    coldopen?: ColdOpenResult[];
    storm?: StormResult[];
    memory?: MemoryResult[];
    ack?: TypingStep | null;
    paste?: PasteRun[] | null;
    record?: RecordRun | null;
    scaleout?: ScaleOutResult | null;
  };
  targets: TargetCheck[];
  correctness: { passed: boolean; failures: string[] };
  /** Steps that threw, as "system/workload: message". */
  errors: string[];
}

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  note?: string;
}

const f = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100;
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);

export function typingTables(steps: TypingStep[], summary: TypingSummary): Table[] {
  const main: Table = {
    title: 'Typing (R sessions × 2 writers + 1 reader, ~5 keys/s each, presence ≤ 10 Hz)',
    headers: ['system', 'R', 'edits/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'ack p99', 'frames/edit', 'srv CPU %', 'µs/edit', 'RSS MB', 'srv lag p99', 'LG CPU %', 'LG lag p99', 'other CPU %', 'valid', 'correct'],
    rows: steps.map((s) => [
      s.system, String(s.sessions), f(s.editsPerS, 0), f(s.latencyMs.p50), f(s.latencyMs.p95), f(s.latencyMs.p99), f(s.latencyMs.max, 1),
      s.ackMs ? f(s.ackMs.p99) : '', f(s.framesPerEdit.total), f(s.server.cpuPct, 1), f(s.server.cpuUsPerEdit, 0), f(s.server.peakRssMb, 0),
      f(s.server.lagP99Ms), f(s.loadgen.cpuPct, 0), f(s.loadgen.lagP99Ms), f(s.loadgen.foreignCpuPct, 0), s.valid ? 'yes' : 'NO', s.correctness.passed ? 'yes' : 'NO',
    ]),
    note: 'Latency: an edit in one client until another client (writer or reader) applied it. frames/edit: frames received by all clients per edit (sync + presence + acks). µs/edit: server CPU (all threads) per edit typed. LG: load generator. other CPU: processes outside the benchmark. valid: LG CPU, LG lag and other CPU within the limits printed below.',
  };
  const peers = Object.keys(summary.ratios);
  const metrics = ['p50', 'p99', 'cpuUsPerEdit', 'peakRssMb', 'framesPerEdit'];
  const ratios: Table = {
    title: `Typing, tandem ÷ peer at R = ${summary.largestCommonSessions ?? '–'} (${summary.allHeld ? `largest R every system held${summary.allValid ? ' with every step valid' : ''}` : 'no R was held by every system: largest R all ran'}${summary.allValid ? '' : '; some of these steps are marked invalid'}; < 1 means tandem is better)`,
    headers: ['metric', ...peers.map((p) => `tandem/${p}`)],
    rows: metrics.map((m) => [m, ...peers.map((p) => f(summary.ratios[p]?.[m]))]),
  };
  return [main, ratios];
}

export function summariseTyping(steps: TypingStep[], systems: SystemName[]): TypingSummary {
  const held = (s: TypingStep): boolean => !s.saturated;
  const sizes = [...new Set(steps.map((s) => s.sessions))].sort((a, b) => a - b);
  const ranBy = (pred: (s: TypingStep) => boolean) => sizes.filter((r) => systems.every((sys) => steps.some((s) => s.system === sys && s.sessions === r && pred(s))));
  const common = ranBy(held);
  const allHeld = common.length > 0;
  const trusted = ranBy((s) => held(s) && s.valid);
  const largest = (trusted.length > 0 ? trusted : allHeld ? common : ranBy(() => true)).at(-1) ?? null;
  const at = (sys: string): TypingStep | undefined => steps.find((s) => s.system === sys && s.sessions === largest);
  const tandem = at('tandem');
  const ratios: TypingSummary['ratios'] = {};
  for (const peer of systems.filter((s) => s !== 'tandem')) {
    const p = at(peer);
    ratios[peer] = {
      p50: ratio(tandem?.latencyMs.p50, p?.latencyMs.p50),
      p99: ratio(tandem?.latencyMs.p99, p?.latencyMs.p99),
      cpuUsPerEdit: ratio(tandem?.server.cpuUsPerEdit, p?.server.cpuUsPerEdit),
      peakRssMb: ratio(tandem?.server.peakRssMb, p?.server.peakRssMb),
      framesPerEdit: ratio(tandem?.framesPerEdit.total, p?.framesPerEdit.total),
    };
  }
  const allValid = largest !== null && systems.every((sys) => at(sys)?.valid === true);
  return { largestCommonSessions: largest, allHeld, allValid, ratios };
}

/** The longest stall over a run's opens and its first edit (results from before it was recorded: undefined). */
const openLagMax = (r: ColdOpenResult): number | undefined => {
  const lags = r.opens.flatMap((o) => [o.lagMaxMs, o.firstEdit?.lagMaxMs]).filter((l): l is number => l !== undefined);
  return lags.length > 0 ? Math.max(...lags) : undefined;
};

/** Bytes stored beyond what the empty store took (results from before it was measured: undefined). */
const aboveEmpty = (r: ColdOpenResult): number | undefined => (r.bytesStoredEmpty === undefined ? undefined : r.bytesStoredAfterOpens - r.bytesStoredEmpty);

export function coldOpenTables(results: ColdOpenResult[]): Table[] {
  const ran = results.filter((r) => !r.skipped);
  const open = (r: ColdOpenResult, label: string, clients: number) => r.opens.find((o) => o.label === label && o.clients === clients);
  const tenClients = Math.max(1, ...ran.flatMap((r) => r.opens.map((o) => o.clients)));
  const main: Table = {
    title: `Cold open of a long note (automerge-paper trace, ${ran[0]?.traceTxns ?? 0} keystrokes typed through each client)`,
    headers: ['system', 'chars', 'feed s', 'feed srv CPU s', 'until quiet', 'stored MB', 'gc-off floor MB', 'stored ÷ floor', 'empty store MB', '(stored − empty) ÷ floor', 'state KB', 'cold process ms', 'cold note ms', 'cold note srv CPU ms', `${tenClients} clients p50 ms`, `${tenClients} clients max ms`, `${tenClients} srv CPU ms`, 'writer cold note ms', 'writer srv CPU ms', 'writer 1st edit ms', '1st edit srv CPU ms', 'feed srv lag max ms', 'opens srv lag max ms', 'correct'],
    rows: results.map((r) => {
      if (r.skipped) return [r.system, ...Array<string>(22).fill('–')];
      const first = open(r, 'cold-process', 1);
      const one = open(r, 'cold-note', 1);
      const many = open(r, 'cold-note', tenClients);
      const writer = open(r, 'cold-note-writer', 1);
      return [
        r.system, String(r.finalChars), f(r.feedS, 1), f(r.feedServerCpuS, 1), f(r.feedQuietServerCpuS, 1), mb(r.bytesStoredAfterOpens), r.gcOffFloorBytes ? mb(r.gcOffFloorBytes) : '–', f(ratio(r.bytesStoredAfterOpens, r.gcOffFloorBytes)),
        r.bytesStoredEmpty === undefined ? '–' : mb(r.bytesStoredEmpty), f(ratio(aboveEmpty(r), r.gcOffFloorBytes)), f(r.stateBytes / 1024, 0),
        f(first?.fullSyncMs.max, 0), f(one?.fullSyncMs.max, 0), f(one?.serverCpuMs, 0), f(many?.fullSyncMs.p50, 0), f(many?.fullSyncMs.max, 0), f(many?.serverCpuMs, 0),
        f(writer?.fullSyncMs.max, 0), f(writer?.serverCpuMs, 0), f(writer?.firstEdit?.ms, 0), f(writer?.firstEdit?.serverCpuMs, 0),
        f(r.feedLagMaxMs, 0), f(openLagMax(r), 0),
        r.correctness.passed ? 'yes' : 'NO',
      ];
    }),
    note: `${results.filter((r) => r.skipped).map((r) => `${r.system} skipped (${r.skipped}). `).join('')}cold process: first request after the restart. cold note: the restarted process first served a warm-up note, then this one was loaded from storage. Both open as the reader (tandem: the supervisor, served from the stored snapshot); writer: the same as cold note, opened by a writer (tandem: a therapist, served from the snapshot and its stored state vector and delete set). stored: every file in the server's data directory after the opens, as a graceful stop left it (tandem: the SQLite file, its WAL checkpointed away). gc-off floor: the same keystrokes in a Y.Doc with gc off, encoded (the history at any resolution, without overhead); stored ÷ floor: the goal is ≤ 1.5 for tandem. empty store: the same directory of a server started, given the run's accounts and rooms, and stopped, with nothing typed (tandem: the schema's tables and indexes, at least a page each); stored − empty is what the run's two notes (the trace and a 5,000-keystroke warm-up) and its audit records cost. until quiet: the feed's server CPU counted on until the server used under 5 % of a core for 3 s (storage it does after relaying included; tandem's window already waits for Saved). Times run from socket creation until the client holds the whole note. 1st edit: then a reader joins, and the writer's first keystroke is timed until the reader has it. srv lag max: the server's longest event-loop stall (the probe's), while the trace was fed (compactions included) and over every open and the first edit.`,
  };
  const tandem = ran.find((r) => r.system === 'tandem');
  const peers = ran.filter((r) => r.system !== 'tandem');
  if (!tandem || peers.length === 0) return [main];
  const rows: [string, (r: ColdOpenResult) => number | undefined][] = [
    ['cold note ms (1 client)', (r) => open(r, 'cold-note', 1)?.fullSyncMs.max],
    ['cold note server CPU ms', (r) => open(r, 'cold-note', 1)?.serverCpuMs],
    ['writer cold note server CPU ms', (r) => open(r, 'cold-note-writer', 1)?.serverCpuMs],
    ['writer 1st edit ms', (r) => open(r, 'cold-note-writer', 1)?.firstEdit?.ms],
    ['writer 1st edit server CPU ms', (r) => open(r, 'cold-note-writer', 1)?.firstEdit?.serverCpuMs],
    ['opens server lag max ms', openLagMax],
    [`${tenClients} clients max ms`, (r) => open(r, 'cold-note', tenClients)?.fullSyncMs.max],
    ['bytes stored', (r) => r.bytesStoredAfterOpens],
    ['bytes stored − empty store', aboveEmpty],
    ['feed server CPU s', (r) => r.feedServerCpuS],
    ['feed server CPU s, until quiet', (r) => r.feedQuietServerCpuS],
  ];
  return [main, {
    title: 'Cold open, tandem ÷ peer',
    headers: ['metric', ...peers.map((p) => `tandem/${p.system}`)],
    rows: rows.map(([name, get]) => [name, ...peers.map((p) => f(ratio(get(tandem), get(p))))]),
  }];
}

export function stormTables(results: StormResult[]): Table[] {
  const main: Table = {
    title: `Reconnect storm (every client drops, writers make offline edits, all reconnect at once)`,
    headers: ['system', 'clients', 'all synced ms', 'converged ms', 'reconnect p50', 'reconnect p99', 'failures', 'srv CPU ms', 'peak CPU %', 'peak RSS MB', 'srv lag max', 'frames in', 'other CPU %', 'correct'],
    rows: results.map((r) => [
      r.system, String(r.clients), f(r.allSyncedMs, 0), f(r.convergedMs, 0), f(r.reconnectMs.p50, 0), f(r.reconnectMs.p99, 0), String(r.failures),
      f(r.server.cpuMs, 0), f(r.server.peakCpuPct, 0), f(r.server.peakRssMb, 0), f(r.server.lagMaxMs, 1), String(r.framesIn), f(r.loadgen.foreignCpuPct, 0), r.correctness.passed ? 'yes' : 'NO',
    ]),
    note: 'relay: "synced" = socket open (it holds no state); its clients converge peer to peer.',
  };
  const tandem = results.find((r) => r.system === 'tandem');
  const peers = results.filter((r) => r.system !== 'tandem');
  if (!tandem || peers.length === 0) return [main];
  const rows: [string, (r: StormResult) => number | null][] = [
    ['converged ms', (r) => r.convergedMs],
    ['reconnect p99 ms', (r) => r.reconnectMs.p99],
    ['server CPU ms', (r) => r.server.cpuMs],
    ['peak RSS MB', (r) => r.server.peakRssMb],
  ];
  return [main, {
    title: 'Reconnect storm, tandem ÷ peer',
    headers: ['metric', ...peers.map((p) => `tandem/${p.system}`)],
    rows: rows.map(([name, get]) => [name, ...peers.map((p) => f(ratio(get(tandem), get(p))))]),
  }];
}

export function memoryTables(results: MemoryResult[]): Table[] {
  const measured = results.filter((r) => !r.skipped);
  const first = measured[0];
  const main: Table = {
    title: `Memory per open note (${first ? `${first.notes} notes of ${first.chars} characters, ${first.keystrokes} keystrokes each` : 'not measured'}; 2 writers + 1 reader each)`,
    headers: ['system', 'heap idle MB', 'heap open MB', 'heap per note MB', 'external idle MB', 'external open MB', 'external per note MB', 'RSS idle MB', 'RSS open MB', 'RSS per note MB', 'heap after leaving MB', 'external after leaving MB', 'back to idle after s', 'RSS after leaving MB', 'correct'],
    rows: measured.map((r) => [
      r.system, f(r.heapMb.idle, 1), f(r.heapMb.open, 1), f(r.perNoteMb.heap, 3), f(r.externalMb.idle, 1), f(r.externalMb.open, 1), f(r.perNoteMb.external, 3),
      f(r.rssMb.idle, 0), f(r.rssMb.open, 0), f(r.perNoteMb.rss, 3), f(r.heapMb.left, 1), f(r.externalMb.left, 1), f(r.unloadedAfterS, 1), f(r.rssMb.left, 0), r.correctness.passed ? 'yes' : 'NO',
    ]),
    note: `${results.filter((r) => r.skipped).map((r) => `${r.system} skipped (${r.skipped}). `).join('')}Each note: the automerge-paper trace's first keystrokes typed into a writer's document and stored, then the server restarted; each note opened by its two writers (each adds a paragraph, so a server that builds a note only for writers has built it) and a reader. heap, external: what the server's main thread holds after a full GC (started with --expose-gc), in its heap and in ArrayBuffers outside it (Yjs encodings, socket buffers); warm (every note opened and left once first), with every note open, and after every client left; per note: (open − idle) ÷ notes. back to idle: from the last client leaving until heap and external together were within 1 MB of idle (– : not within 30 s). RSS rarely falls back: freed pages stay with the allocator.`,
  };
  const tandem = measured.find((r) => r.system === 'tandem');
  const peers = measured.filter((r) => r.system !== 'tandem');
  if (!tandem || peers.length === 0) return [main];
  return [main, {
    title: 'Memory per open note, tandem ÷ peer',
    headers: ['metric', ...peers.map((p) => `tandem/${p.system}`)],
    rows: [
      ['heap per note', ...peers.map((p) => f(ratio(tandem.perNoteMb.heap, p.perNoteMb.heap)))],
      ['heap + external per note', ...peers.map((p) => f(ratio(tandem.perNoteMb.heap + tandem.perNoteMb.external, p.perNoteMb.heap + p.perNoteMb.external)))],
      ['RSS per note', ...peers.map((p) => f(ratio(tandem.perNoteMb.rss, p.perNoteMb.rss)))],
    ],
  }];
}

export function ackTable(step: TypingStep): Table {
  const a = step.ackMs;
  return {
    title: `Durable ack (tandem, R = ${step.sessions}): insert → "Saved" covering it`,
    headers: ['edits/s', 'acked', 'ack p50 ms', 'ack p95 ms', 'ack p99 ms', 'ack max ms', 'e2e p50 ms', 'e2e p99 ms', 'srv CPU %', 'valid', 'correct'],
    rows: [[f(step.editsPerS, 0), String(a?.count ?? 0), f(a?.p50), f(a?.p95), f(a?.p99), f(a?.max, 1), f(step.latencyMs.p50), f(step.latencyMs.p99), f(step.server.cpuPct, 1), step.valid ? 'yes' : 'NO', step.correctness.passed ? 'yes' : 'NO']],
  };
}

export function pasteTable(runs: PasteRun[]): Table {
  return {
    title: 'A long paste (tandem): while one note takes in the paste, keys typed in another note until its reader has them',
    headers: ['sent as', 'paste MB', 'frames', 'taken in ms', 'other note keys', 'p50 ms', 'p99 ms', 'max ms', `≤ ${BOUND_MS} ms`, 'srv lag max ms', 'srv GC max ms', 'loadgen lag max ms', 'other procs %', 'correct'],
    rows: runs.map((r) => {
      // Results saved before the bound and the lags were recorded (--report-from) show none.
      const held = r.boundHeld === undefined ? '–' : r.boundHeld ? 'yes' : 'NO';
      return [
        r.mode, f(r.pasteBytes / 1024 / 1024, 1), String(r.frames), f(r.takenInMs, 0), String(r.otherNoteMs.count), f(r.otherNoteMs.p50), f(r.otherNoteMs.p99), f(r.otherNoteMs.max),
        held, f(r.serverLagMaxMs, 1), f(r.serverGcMaxMs, 1), f(r.loadgen?.lagMaxMs, 1), f(r.loadgen?.foreignCpuPct, 0), r.correct ? 'yes' : 'NO',
      ];
    }),
    note: `pieces: as the client app sends a large change (shared/protocol/updateParts.ts, 64 KiB each); whole: one frame, as a stock provider would. Bound (issue 14): no key of the other note waits more than ${BOUND_MS} ms. A delay counts against the server when the load generator's own lag and other processes' CPU stay small (srv lag: the server's longest event-loop stall in the window; srv GC: its longest garbage-collection pause).`,
  };
}

export function recordTable(run: RecordRun): Table {
  const first = run.steps[0];
  const last = run.steps.at(-1);
  const growth = first && last && first !== last ? ratio(last.serverCpuUsPerEdit, first.serverCpuUsPerEdit) : null;
  return {
    title: "A long record of corrections (tandem): server CPU per edit as B's corrections of A's words pile up",
    headers: ['step', 'edits', 'struck entries', 'formatted entries', 'srv µs/edit', 'delivery p50 ms', 'p99 ms', 'max ms', 'srv lag max ms', 'srv GC max ms', 'step s', 'loadgen lag max ms', 'other procs %', 'settled'],
    rows: run.steps.map((s) => [
      String(s.step), String(s.edits), String(s.struck), String(s.formatted), f(s.serverCpuUsPerEdit, 0), f(s.deliveryMs.p50), f(s.deliveryMs.p99), f(s.deliveryMs.max, 1),
      f(s.serverLagMaxMs, 1), f(s.serverGcMaxMs, 1), f(s.stepS, 1), f(s.loadgen.lagMaxMs, 1), f(s.loadgen.foreignCpuPct, 0), s.settled ? 'yes' : 'NO',
    ]),
    note: `One note of ${run.paragraphs} paragraphs of A's (~75 characters each), after ${run.warmup.length} warm-up step(s) of the same corrections in another note (srv µs/edit ${run.warmup.map((s) => f(s.serverCpuUsPerEdit, 0)).join(', ')}: the server's code compiling). Each step: B's edits of A's words, one frame every 2 ms, 8 in 10 deleting A's next letter at one place per paragraph, right after the letters B deleted there before (each a new struck entry), 1 typing a letter there, 1 bolding a letter of A's (a formatted entry). struck/formatted: the record's entries after the step. srv µs/edit: the server's CPU (all threads) from the step's first edit until the reader had every edit and the server had stored all, per edit; flat as the record grows is the goal (last step ÷ first: ${f(growth)}). delivery: from B's edit until the reader applied it. settled: the step's edits all reached the reader and were stored. Correct (every step settled, replicas equal at the end, the note reloaded after a cold restart equal to them, no notices): ${run.correct ? 'yes' : 'NO'}.`,
  };
}

export function targetTable(targets: TargetCheck[]): Table {
  return {
    title: 'Targets (issue 7)',
    headers: ['target', 'measured', 'limit', 'met'],
    rows: targets.map((t) => [t.name, t.value === null ? '–' : `${t.value}${t.unit}`, `${t.limit}${t.unit}`, t.passed === null ? 'not measured' : t.passed ? 'yes' : 'NO']),
  };
}

export function rigTable(rig: RigBaseline): Table {
  return {
    title: 'Rig floor (W0)',
    headers: ['relay round trip p50 ms', 'p99 ms', 'max ms', 'idle loop lag p99 ms', 'idle lag max ms', 'light-load lag p99 ms'],
    rows: [[f(rig.relayRttMs.p50, 3), f(rig.relayRttMs.p99, 3), f(rig.relayRttMs.max, 3), f(rig.idleLagP99Ms, 3), f(rig.idleLagMaxMs, 3), f(rig.lightLoadLagP99Ms, 3)]],
    note: 'A 30-byte frame A → relay → B → relay → A (two deliveries), paced every 5 ms.',
  };
}

export function checkTargets(result: BenchResult): TargetCheck[] {
  const typing = result.workloads.typing?.summary;
  const check = (name: string, value: number | null | undefined, limit: number, unit = ''): TargetCheck => ({
    name, value: value ?? null, limit, unit, passed: value === null || value === undefined ? null : value <= limit,
  });
  const cold = result.workloads.coldopen?.find((r) => r.system === 'tandem' && !r.skipped);
  return [
    check('typing p99, tandem ÷ reference', typing?.ratios.reference?.p99, 1.1, '×'),
    check('typing p99, tandem ÷ hocuspocus', typing?.ratios.hocuspocus?.p99, 0.8, '×'),
    check('typing p50, tandem ÷ relay', typing?.ratios.relay?.p50, 3, '×'),
    check('cold open server CPU (cold note, reader, 1 client)', cold?.opens.find((o) => o.label === 'cold-note' && o.clients === 1)?.serverCpuMs, 50, ' ms'),
    check('cold open server CPU (cold note, writer, 1 client)', cold?.opens.find((o) => o.label === 'cold-note-writer')?.serverCpuMs, 50, ' ms'),
    check('durable ack p99', result.workloads.ack?.ackMs?.p99, 50, ' ms'),
  ];
}

export function renderText(t: Table): string {
  const widths = t.headers.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [`\n${t.title}`, line(t.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)];
  if (t.note) out.push(`  ${t.note}`);
  return out.join('\n');
}

export function renderMarkdown(t: Table): string {
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const out = [`**${t.title}**`, '', row(t.headers), row(t.headers.map((_, i) => (i === 0 ? '---' : '---:'))), ...t.rows.map(row)];
  if (t.note) out.push('', `_${t.note}_`);
  return out.join('\n');
}

/** All tables of a result, in report order. */
/** One row per configuration and R; the SQLite row is tandem's own typing step at that R, if it ran. */
function scaleOutTable(r: ScaleOutResult, typing: TypingStep[]): Table {
  const sqlite = (sessions: number): TypingStep | undefined => typing.find((s) => s.system === 'tandem' && s.sessions === sessions);
  const rows: string[][] = [];
  for (const sessions of [...new Set(r.steps.map((s) => s.sessions))]) {
    const base = sqlite(sessions);
    const all = [...(base ? [{ label: '1 × SQLite', s: base }] : []), ...r.steps.filter((s) => s.sessions === sessions).map((s) => ({ label: `${s.processes} × PostgreSQL + Redis`, s }))];
    for (const { label, s } of all) {
      const hop = s.crossProcessMs && s.sameProcessMs ? s.crossProcessMs.p50 - s.sameProcessMs.p50 : null;
      rows.push([
        label,
        String(s.sessions),
        s.editsPerS.toFixed(0),
        f(s.latencyMs.p50),
        f(s.latencyMs.p99),
        f(s.sameProcessMs?.p50),
        f(s.crossProcessMs?.p50),
        f(s.crossProcessMs?.p99),
        f(hop),
        s.server.cpuUsPerEdit.toFixed(0),
        f(s.servicesCpuUsPerEdit?.postgres, 0),
        f(s.servicesCpuUsPerEdit?.redis, 0),
        s.server.peakRssMb.toFixed(0),
        f(s.ackMs?.p99),
        s.valid ? 'yes' : 'NO',
        s.correctness.passed ? 'yes' : 'NO',
      ]);
    }
  }
  return {
    title: 'Scale-out (tandem on PostgreSQL + Redis; two processes: co-therapists on different processes, reader alternating)',
    headers: ['deployment', 'R', 'edits/s', 'p50 ms', 'p99 ms', 'same-proc p50', 'cross-proc p50', 'cross-proc p99', 'hop p50 ms', 'tandem µs/edit', 'PostgreSQL µs/edit', 'Redis µs/edit', 'RSS MB', 'ack p99', 'valid', 'correct'],
    rows,
    note: r.skipped
      ? `skipped: ${r.skipped}`
      : `hop: cross-process p50 − same-process p50 (what relaying through Redis adds). tandem µs/edit: all tandem processes' CPU per edit typed. PostgreSQL: the backends serving these servers; Redis: the whole redis-server process (shared with anyone else using it). RSS: summed over processes. Services: ${r.databaseUrl}, ${r.redisUrl}.`,
  };
}

export function allTables(result: BenchResult): Table[] {
  const w = result.workloads;
  return [
    ...(result.rig ? [rigTable(result.rig)] : []),
    ...(w.typing ? typingTables(w.typing.steps, w.typing.summary) : []),
    ...(w.coldopen ? coldOpenTables(w.coldopen) : []),
    ...(w.storm ? stormTables(w.storm) : []),
    ...(w.memory ? memoryTables(w.memory) : []),
    ...(w.ack ? [ackTable(w.ack)] : []),
    ...(w.paste ? [pasteTable(w.paste)] : []),
    ...(w.record ? [recordTable(w.record)] : []),
    ...(w.scaleout ? [scaleOutTable(w.scaleout, w.typing?.steps ?? [])] : []),
    targetTable(result.targets),
  ];
}
