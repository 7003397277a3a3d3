import os from 'node:os';
import path from 'node:path';
import type { ClientTarget } from './clients';
import { compiledBenchEntry, compiledTandem } from './compiled';
import type { Options, SystemName } from './options';
import { packageVersion } from './results';
import { startServer, type LaunchSpec, type ServerHandle } from './serverProcess';
import { TandemApi, type TandemCast } from './tandemApi';
import { freePort, makeTempDir, mapLimit, removeDir } from './util';

/** How a system is set up, recorded with every result. */
export interface SystemInfo {
  name: SystemName;
  version: string;
  transport: string;
  persistence: string;
  /** Edits a crash may lose, by configuration. */
  durabilityWindow: string;
}

/** The three people of a session. Writers type; the reader only receives (tandem: a supervisor). */
export type Role = 'writerA' | 'writerB' | 'reader';
export const ROLES: readonly Role[] = ['writerA', 'writerB', 'reader'];

/** 'bulk' = settings for feeding a long trace before a cold-open measurement (not measured); 'heap' = the memory workload's (a full GC before each probe reading). */
export type LaunchMode = 'normal' | 'bulk' | 'heap';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Data directories not yet disposed: removed if the harness exits early (Ctrl-C, test timeout). */
const liveDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of liveDirs) removeDir(dir);
});

export function systemInfo(name: SystemName, opts: Options): SystemInfo {
  switch (name) {
    case 'tandem':
      return {
        name,
        version: `tandem ${packageVersion('.')}`,
        transport: `ws ${packageVersion('ws')}`,
        persistence: 'SQLite update log (WAL, synchronous=FULL; a worker thread commits everything gathered in 5 ms in one transaction), compaction to snapshots on a worker thread',
        durabilityWindow: 'none: edits are relayed at once, "Saved" is sent after the commit (≥ 5 ms later)',
      };
    case 'reference':
      return {
        name,
        version: `@y/websocket-server ${packageVersion('@y/websocket-server')}`,
        transport: `ws ${packageVersion('ws')} (same transport; the package ships ws 6)`,
        persistence:
          opts.referenceStorage === 'leveldb'
            ? `YPERSISTENCE set: y-leveldb ${packageVersion('y-leveldb')}, every update stored`
            : 'none: YPERSISTENCE unset, documents live in memory only',
        durabilityWindow: opts.referenceStorage === 'leveldb' ? 'per update (async LevelDB put, no fsync)' : 'everything (no storage)',
      };
    case 'hocuspocus':
      return {
        name,
        version: `@hocuspocus/server ${packageVersion('@hocuspocus/server')} (newest major on Node 20), provider ${packageVersion('@hocuspocus/provider')}`,
        transport: `ws ${packageVersion('ws')}`,
        persistence: `SQLite full-state snapshot per store via onStoreDocument (better-sqlite3, WAL, synchronous=NORMAL), debounce ${opts.hocuspocusDebounceMs} ms, no Throttle`,
        durabilityWindow: opts.hocuspocusDebounceMs === 0 ? 'per update (full snapshot each change)' : `≤ ${opts.hocuspocusDebounceMs} ms debounce, ≤ 10 s max`,
      };
    case 'relay':
      return { name, version: 'bench relay', transport: `ws ${packageVersion('ws')}`, persistence: 'none (no Yjs)', durabilityWindow: 'everything (no storage)' };
  }
}

export const hasStorage = (name: SystemName, opts: Options): boolean =>
  name === 'tandem' || name === 'hocuspocus' || (name === 'reference' && opts.referenceStorage === 'leveldb');

/**
 * Tandem on PostgreSQL + Redis instead of SQLite (the scale-out configuration): `processes`
 * servers share the database (`?options=-c search_path=<schema>` selects a schema) and the Redis
 * fan-out (`?prefix=<p>` its channel and key prefix).
 */
export interface SharedBackend {
  databaseUrl: string;
  redisUrl: string;
  processes: number;
}

/**
 * One system under test with its own data directory: started, restarted (cold, same data) and
 * stopped by the harness, with the rooms (tandem: sessions with members) the workloads use. With
 * a shared backend (tandem only) it is several server processes; `server` is the first.
 */
export class Deployment {
  servers: ServerHandle[] = [];
  private cast: TandemCast | null = null;
  private api: TandemApi | null = null;
  private roomSeq = 0;
  readonly dataDir: string;

  constructor(
    readonly name: SystemName,
    private readonly opts: Options,
    readonly backend: SharedBackend | null = null,
  ) {
    if (backend && name !== 'tandem') throw new Error('only tandem runs on a shared backend');
    this.dataDir = makeTempDir(name);
    liveDirs.add(this.dataDir);
  }

  get server(): ServerHandle | null {
    return this.servers[0] ?? null;
  }

  get port(): number {
    return this.portOf(0);
  }

  private portOf(index: number): number {
    const server = this.servers[index];
    if (!server) throw new Error(`${this.name} process ${index} is not running`);
    return server.port;
  }

  async start(mode: LaunchMode = 'normal'): Promise<void> {
    const pin = this.opts.pin && os.cpus().length >= 2 ? 1 : null;
    const processes = this.backend?.processes ?? 1;
    // One after the other: the first migrates the schema.
    for (let i = 0; i < processes; i++) {
      const spec = await this.launchSpec(mode);
      this.servers.push(await startServer(spec, { cpu: pin, probeFile: `${this.dataDir}.probe${i}.json` }));
    }
    if (this.name === 'tandem') {
      this.api = new TandemApi(this.port);
      this.cast ??= await this.api.createCast();
    }
  }

  /** Graceful stop: each server flushes its storage before exiting. */
  async stop(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    for (const server of servers) {
      const { code, killed } = await server.stop();
      if (killed || (code !== 0 && code !== null)) throw new Error(`${this.name} did not stop cleanly (code ${code}, killed ${killed}): ${server.stderrTail()}`);
    }
  }

  async restart(mode: LaunchMode = 'normal'): Promise<void> {
    await this.stop();
    await this.start(mode);
  }

  async dispose(): Promise<void> {
    await this.stop().catch(() => undefined);
    removeDir(this.dataDir);
    for (let i = 0; i < (this.backend?.processes ?? 1); i++) removeDir(`${this.dataDir}.probe${i}.json`);
    liveDirs.delete(this.dataDir);
  }

  /** Creates `count` fresh rooms (tandem: group sessions with two therapists and a supervisor). */
  async createRooms(count: number): Promise<string[]> {
    const names = Array.from({ length: count }, () => `bench-${++this.roomSeq}`);
    const { api, cast } = this;
    if (this.name !== 'tandem') return names;
    if (!api || !cast) throw new Error('tandem is not running');
    return mapLimit(names, 8, (title) => api.createSession(cast, title));
  }

  /** Where a client of `role` in `room` connects; `process` picks one server of a scale-out deployment. */
  target(room: string, role: Role, process = 0): ClientTarget {
    const port = this.portOf(process);
    switch (this.name) {
      case 'tandem': {
        if (!this.cast) throw new Error('tandem is not set up');
        const headers = { cookie: this.cast[role].cookie, origin: `http://127.0.0.1:${port}` };
        return { protocol: 'y-websocket', serverUrl: `ws://127.0.0.1:${port}/sync`, room, headers, syncedOn: 'server' };
      }
      case 'hocuspocus':
        return { protocol: 'hocuspocus', serverUrl: `ws://127.0.0.1:${port}`, room, headers: {}, syncedOn: 'server' };
      case 'reference':
        return { protocol: 'y-websocket', serverUrl: `ws://127.0.0.1:${port}`, room, headers: {}, syncedOn: 'server' };
      case 'relay':
        return { protocol: 'y-websocket', serverUrl: `ws://127.0.0.1:${port}`, room, headers: {}, syncedOn: 'open' };
    }
  }

  private async launchSpec(mode: LaunchMode): Promise<LaunchSpec> {
    // 'heap': the probe runs a full GC before each reading (the memory workload).
    const gcArgs = mode === 'heap' ? ['--expose-gc'] : [];
    const launcher = (file: string, env: Record<string, string>): LaunchSpec => ({
      entry: compiledBenchEntry(`systems/${file}`),
      env: { BENCH_DATA_DIR: this.dataDir, ...env },
      fixedPort: 0,
      nodeArgs: gcArgs,
    });
    switch (this.name) {
      case 'tandem': {
        const port = await freePort();
        const shared: Record<string, string> = this.backend ? { DATABASE_URL: this.backend.databaseUrl, REDIS_URL: this.backend.redisUrl } : {};
        // The harness types faster than anyone (the trace at machine speed, corrections every 2 ms)
        // with one writer account in every note: the bound on one account's changes to a note is
        // raised so that throughput is measured, not the bound. Every client comes from 127.0.0.1:
        // the bound on one address's connections is raised likewise (800 rooms pass it), and the
        // bound on notes one account holds open (its writers are one account in every room).
        const unbounded = { TANDEM_MAX_CHANGES_PER_10S: String(1e9), TANDEM_MAX_CONNECTIONS_PER_ADDRESS: String(1e9), TANDEM_MAX_NOTES_PER_ACCOUNT: String(1e9) };
        return {
          entry: compiledTandem(),
          env: { PORT: String(port), HOST: '127.0.0.1', TANDEM_DATA_DIR: this.dataDir, TANDEM_LOG_LEVEL: 'silent', NODE_ENV: 'production', ...unbounded, ...shared },
          fixedPort: port,
          nodeArgs: [...gcArgs, ...(this.opts.serverCpuProf ? ['--cpu-prof', '--cpu-prof-dir', path.join(ROOT, 'bench', 'results', 'prof')] : [])],
        };
      }
      case 'reference':
        return launcher('reference', this.opts.referenceStorage === 'leveldb' ? { YPERSISTENCE: path.join(this.dataDir, 'leveldb') } : {});
      case 'hocuspocus':
        return launcher('hocuspocus', {
          // Feeding 259,778 edits with a full snapshot after each would take minutes and is not what
          // is measured; the bulk feed uses Hocuspocus's defaults (2 s / 10 s).
          HOCUSPOCUS_DEBOUNCE_MS: String(mode === 'bulk' ? 2000 : this.opts.hocuspocusDebounceMs),
          HOCUSPOCUS_MAX_DEBOUNCE_MS: '10000',
        });
      case 'relay':
        return launcher('relay', {});
    }
  }
}
