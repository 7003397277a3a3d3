import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readStealTicks } from './procfs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Version of an installed package, read from node_modules (or '.' for this repo). */
export function packageVersion(name: string): string {
  const file = name === '.' ? path.join(ROOT, 'package.json') : path.join(ROOT, 'node_modules', name, 'package.json');
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

const VERSIONED = [
  'yjs', 'y-protocols', 'y-websocket', 'lib0', 'ws', '@y/websocket-server', 'y-leveldb', '@hocuspocus/server',
  '@hocuspocus/provider', 'better-sqlite3', 'tsx', 'bufferutil', 'utf-8-validate',
] as const;

export function versions(): Record<string, string> {
  const out: Record<string, string> = { tandem: packageVersion('.'), node: process.version };
  for (const name of VERSIONED) out[name] = packageVersion(name);
  try {
    out.tandemCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    out.tandemCommit = 'none (no commit yet)';
  }
  return out;
}

export interface MachineInfo {
  platform: string;
  kernel: string;
  cpus: number;
  cpuModel: string;
  cpuMHz: number;
  totalMemMb: number;
  node: string;
  loadAvg: number[];
  /** CPU steal ticks during the run (VM neighbours), from /proc/stat. */
  stealTicks: number;
  pinned: string;
  /** CPU used by processes outside the benchmark just before it started, % of one core. */
  otherProcessesCpuPctAtStart?: number;
}

export function machineInfo(pinned: string, stealAtStart: number): MachineInfo {
  const cpus = os.cpus();
  return {
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuMHz: cpus[0]?.speed ?? 0,
    totalMemMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    loadAvg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    stealTicks: readStealTicks() - stealAtStart,
    pinned,
  };
}

export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/** Writes the result file and returns its path (default bench/results/<ISO date>.json). */
export function writeResults(result: unknown, out: string | null, startedAt: Date): string {
  const file = out ?? path.join(RESULTS_DIR, `${startedAt.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
