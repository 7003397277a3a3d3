import fs from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on Linux x86/arm). */
const CLK_TCK = 100;

export interface ProcSample {
  /** performance.now() in this process when read. */
  at: number;
  /** utime+stime of all threads, in ms. */
  cpuMs: number;
  rssKb: number;
  hwmKb: number;
}

/** utime+stime (fields 14 and 15) of every thread of `pid`, in ms. */
export function readCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLK_TCK;
}

/** VmRSS and VmHWM (peak) of `pid`, in kB. */
export function readMemKb(pid: number): { rssKb: number; hwmKb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

export function readSample(pid: number): ProcSample | null {
  try {
    return { at: performance.now(), cpuMs: readCpuMs(pid), ...readMemKb(pid) };
  } catch {
    return null; // the process exited
  }
}

/** Steal time so far (ticks) from /proc/stat: on a VM, a busy neighbour shows up here. */
export function readStealTicks(): number {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    return Number(cpu.trim().split(/\s+/)[8] ?? 0);
  } catch {
    return 0;
  }
}

/** Busy time of all CPUs so far (user+nice+system+irq+softirq), ms, from /proc/stat. */
export function readHostBusyMs(): number {
  try {
    const f = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    const busy = (f[1] ?? 0) + (f[2] ?? 0) + (f[3] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return (busy * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

export interface WindowStats {
  cpuMs: number;
  wallMs: number;
  /** Average CPU over the window, % of one core. */
  cpuPct: number;
  /** Highest CPU % over any one sampling interval. */
  peakCpuPct: number;
  peakRssMb: number;
  meanRssMb: number;
}

/**
 * Samples a process's CPU and memory every `intervalMs` from /proc, so the figures cover the
 * process alone (all its threads: GC, libuv pool, SQLite), whatever the server is written in.
 */
export class ProcSampler {
  private samples: ProcSample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.samples = [];
    this.take();
    this.timer = setInterval(() => this.take(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and summarises the window since start(). */
  stop(): WindowStats {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.take();
    return summarise(this.samples);
  }

  private take(): void {
    const s = readSample(this.pid);
    if (s) this.samples.push(s);
  }
}

function summarise(samples: ProcSample[]): WindowStats {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last === first) return { cpuMs: 0, wallMs: 0, cpuPct: 0, peakCpuPct: 0, peakRssMb: 0, meanRssMb: 0 };
  let peakCpuPct = 0;
  let rssSum = 0;
  let peakRss = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as ProcSample;
    rssSum += s.rssKb;
    peakRss = Math.max(peakRss, s.rssKb);
    const prev = samples[i - 1];
    if (prev && s.at - prev.at > 50) peakCpuPct = Math.max(peakCpuPct, ((s.cpuMs - prev.cpuMs) / (s.at - prev.at)) * 100);
  }
  const cpuMs = last.cpuMs - first.cpuMs;
  const wallMs = last.at - first.at;
  return {
    cpuMs,
    wallMs,
    cpuPct: (cpuMs / wallMs) * 100,
    peakCpuPct,
    peakRssMb: peakRss / 1024,
    meanRssMb: rssSum / samples.length / 1024,
  };
}

/**
 * Local TCP ports of the sockets `pid` holds that are connected to `remotePort` on this host:
 * how a PostgreSQL backend or Redis client is tied back to the server process that opened it.
 */
export function connectedLocalPorts(pid: number, remotePort: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link.startsWith('socket:[')) inodes.add(link.slice(8, -1));
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9] ?? '')) continue;
      const port = (addr: string | undefined): number => parseInt(addr?.split(':')[1] ?? '0', 16);
      if (port(f[2]) === remotePort) ports.push(port(f[1]));
    }
  }
  return ports;
}

/** Process ids whose command name (`/proc/<pid>/comm`) is `name`. */
export function pidsNamed(name: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Summed CPU (ms, all threads) of `pids`; a process that exited counts as 0. */
export function cpuMsOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += readCpuMs(pid);
    } catch {
      // exited
    }
  }
  return total;
}
