import { deferCleanup } from './services';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config';
import { startServer, type RunningServer } from '../../server/createServer';
import { createLogger, type Logger } from '../../server/log';
import { createStore } from '../../server/persistence/createStore';
import type { Store } from '../../server/persistence/ports';
import { serverBuildDir } from './serverBuild';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Environment every test server gets: quiet, fast hashing, immediate unload and leave, its own
 * data dir, and no bound on one account's changes to a note per 10 s: typists and stores under
 * fault type hundreds a second to pack minutes into seconds (tests/hostile/changeRate.test.ts
 * sets the bound low to test it).
 */
function testEnv(dataDir: string, env: Record<string, string>): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    TANDEM_DATA_DIR: dataDir,
    TANDEM_LOG_LEVEL: 'silent',
    TANDEM_SCRYPT_N: '1024',
    TANDEM_MAX_CHANGES_PER_10S: String(1e9),
    TANDEM_UNLOAD_DELAY_MS: '0',
    // Leaving a note is audited at once (no wait for a reconnect that would continue the visit).
    TANDEM_VISIT_GAP_MS: '0',
    ...env,
  };
}

export function tempDir(prefix = 'tandem-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  deferCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestServer extends RunningServer {
  baseUrl: string;
  dataDir: string;
}

/**
 * A real server in this process on port 0, closed after the file's tests. `decorateStore` wraps
 * the real store, e.g. to hold a lookup back the way a busy database would; `log` takes its log lines.
 */
export async function startTestServer(opts: { dataDir?: string; env?: Record<string, string>; decorateStore?: (store: Store) => Store; log?: Logger } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir();
  const config = loadConfig(testEnv(dataDir, opts.env ?? {}));
  const log = opts.log ?? createLogger(config.logLevel);
  const server = await startServer(config, { log, ...(opts.decorateStore ? { store: opts.decorateStore(await createStore(config, log)) } : {}) });
  deferCleanup(() => server.close());
  return { ...server, baseUrl: `http://127.0.0.1:${server.port}`, dataDir };
}

export interface ServerProcess {
  port: number;
  baseUrl: string;
  child: ChildProcess;
  /** Lines the process wrote to stdout and stderr. */
  output: string[];
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * A real server as its own OS process (for kill -9 and multi-process tests): the compiled server
 * `npm start` runs, which tests/globalSetup.ts keeps current. `viaNpmStart`: started as a user or a
 * process manager starts it, `npm start` (the child is then npm).
 */
export async function startServerProcess(opts: { dataDir: string; env?: Record<string, string>; port?: number; viaNpmStart?: boolean }): Promise<ServerProcess> {
  const env = testEnv(opts.dataDir, { TANDEM_LOG_LEVEL: 'info', ...(opts.port ? { PORT: String(opts.port) } : {}), ...opts.env });
  const [command, args] = opts.viaNpmStart ? ['npm', ['start', '--silent']] : [process.execPath, ['--enable-source-maps', path.join(serverBuildDir, 'main.js')]];
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const m = /"msg":"listening".*"port":(\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output.join('\n')}`)));
  });
  const kill = (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  deferCleanup(() => kill());
  return { port, baseUrl: `http://127.0.0.1:${port}`, child, output, exited, kill };
}

/** Whether the process is still running. */
export const isRunning = (p: ServerProcess): boolean => p.child.exitCode === null && p.child.signalCode === null;

/** For failure messages: whether each process still runs, and its last lines of output. */
export function lastWords(servers: ServerProcess[], lines = 8): string {
  return servers
    .map((p, i) => `process ${i + 1} (port ${p.port}): ${isRunning(p) ? 'running' : `exited (${p.child.exitCode ?? p.child.signalCode})`}\n  ${p.output.slice(-lines).join('\n  ')}`)
    .join('\n');
}
