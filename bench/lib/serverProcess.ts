import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compiledBenchEntry } from './compiled';
import readline from 'node:readline';
import type { ProbeSnapshot } from './probe';
import { sleep } from './util';

/** How to start one server under test as its own process. */
export interface LaunchSpec {
  /** Entry module (TypeScript, run through tsx's loader). */
  entry: string;
  env: Record<string, string>;
  /** Port the server will use when it cannot report one (tandem with logging off); 0 otherwise. */
  fixedPort: number;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs: string[];
}

export interface ServerHandle {
  readonly pid: number;
  readonly port: number;
  readonly exited: boolean;
  /** Precise CPU, RSS, event-loop lag and GC via the preloaded probe (starts a new lag window). */
  probe(): Promise<ProbeSnapshot>;
  /** SIGTERM, then wait for a graceful exit (storage flushed); SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<{ code: number | null; killed: boolean }>;
  /** Last lines the server wrote to stderr, for error messages. */
  stderrTail(): string;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Children still running: killed if the harness exits early, so no server outlives a run. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
const PROBE_TIMEOUT_MS = 15_000;

/**
 * Starts a server, pinned to `cpu` when given (the load generator keeps the other core), and
 * resolves once it accepts connections.
 */
export async function startServer(spec: LaunchSpec, opts: { cpu: number | null; probeFile: string; readyTimeoutMs?: number }): Promise<ServerHandle> {
  const nodeArgs = ['--import', compiledBenchEntry('lib/probe'), ...spec.nodeArgs, spec.entry];
  const [cmd, args] = opts.cpu === null ? [process.execPath, nodeArgs] : ['taskset', ['-c', String(opts.cpu), process.execPath, ...nodeArgs]];
  fs.rmSync(opts.probeFile, { force: true });
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...spec.env, BENCH_PROBE_FILE: opts.probeFile, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 50) stderr.shift();
  });
  let exited = false;
  live.add(child);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  const port = await waitReady(child, spec, exit, opts.readyTimeoutMs ?? 30_000, () => stderr.join(''));
  const pid = child.pid ?? 0;
  let seq = 0;
  return {
    pid,
    port,
    get exited() {
      return exited;
    },
    probe: async () => {
      const want = ++seq;
      process.kill(pid, 'SIGUSR2');
      // A generous deadline: on a host shared with other jobs a busy server may not be scheduled
      // for seconds (it was on a 2-core VM at load 30), and a lost probe loses the whole step.
      const deadline = performance.now() + PROBE_TIMEOUT_MS;
      while (performance.now() < deadline) {
        try {
          const snap = JSON.parse(fs.readFileSync(opts.probeFile, 'utf8')) as ProbeSnapshot;
          if (snap.seq >= want) {
            seq = snap.seq;
            return snap;
          }
        } catch {
          // not written yet
        }
        await sleep(2);
      }
      throw new Error(`server ${pid} did not answer the probe`);
    },
    stop: async (timeoutMs = 20_000) => {
      if (exited) return { code: child.exitCode, killed: false };
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const { code, signal } = await exit;
      clearTimeout(timer);
      return { code, killed: signal === 'SIGKILL' };
    },
    stderrTail: () => stderr.join('').slice(-2000),
  };
}

/**
 * Our launchers print `{"listening": port}`; tandem logs `{"msg":"listening","port":n}` (only
 * when its log level lets info through), so for it we also poll /healthz on the port we gave it.
 */
async function waitReady(
  child: ChildProcess,
  spec: LaunchSpec,
  exit: Promise<unknown>,
  timeoutMs: number,
  stderr: () => string,
): Promise<number> {
  let found = 0;
  const lines = readline.createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    if (found || !line.startsWith('{')) return;
    try {
      const msg = JSON.parse(line) as { listening?: number; msg?: string; port?: number };
      if (typeof msg.listening === 'number') found = msg.listening;
      else if (msg.msg === 'listening' && typeof msg.port === 'number') found = msg.port;
    } catch {
      // not ours
    }
  });
  let dead = false;
  void exit.then(() => (dead = true));
  const deadline = performance.now() + timeoutMs;
  while (!found) {
    if (dead) throw new Error(`server exited before listening: ${stderr().slice(-1500)}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${timeoutMs} ms: ${stderr().slice(-1500)}`);
    }
    if (spec.fixedPort && (await isHealthy(spec.fixedPort))) found = spec.fixedPort;
    else await sleep(spec.fixedPort ? 50 : 10);
  }
  // Keep draining stdout so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  return found;
}

async function isHealthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}
