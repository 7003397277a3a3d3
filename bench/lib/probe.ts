/**
 * Preloaded, compiled, into every server under test (`node --import dist/bench/probe.mjs …`),
 * so all four report event-loop lag, GC pauses and precise CPU the same way without any change
 * to their code. On SIGUSR2 it writes a snapshot to $BENCH_PROBE_FILE (atomically, via rename)
 * and starts a new window. It never writes to stdout, which belongs to the server.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

/** What one SIGUSR2 reports: the window since the previous one (lag, GC) or totals (CPU, RSS). */
export interface ProbeSnapshot {
  seq: number;
  /** process.cpuUsage() total so far, µs (all threads). */
  cpuUs: number;
  rssBytes: number;
  /** Peak RSS so far (getrusage maxrss), bytes. */
  maxRssBytes: number;
  /** Heap in use (main thread); after a full GC when the server runs with --expose-gc (the memory workload). */
  heapUsedBytes: number;
  /** Memory of JS objects held outside the heap (ArrayBuffers' bytes: Yjs encodings, socket buffers), main thread. */
  externalBytes: number;
  /** Event-loop lag in the window: timer overshoot beyond the sampling resolution, ms. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  gcCount: number;
  gcMs: number;
  /** The longest single GC pause in the window, ms. */
  gcMaxMs: number;
}

/** Sampling resolution; the histogram records whole intervals, so lag = value − resolution. */
export const PROBE_RESOLUTION_MS = 10;

const file = process.env.BENCH_PROBE_FILE;
// Worker threads inherit the process's --import: the probe watches the main thread's loop only.
if (file && isMainThread) {
  const lag = monitorEventLoopDelay({ resolution: PROBE_RESOLUTION_MS });
  lag.enable();
  let gcCount = 0;
  let gcMs = 0;
  let gcMaxMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMs += entry.duration;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  let seq = 0;
  // Exposed only where the workload asked for it (--expose-gc): a forced GC in any other window
  // would be a pause the server under test did not cause.
  const collect = (globalThis as { gc?: () => void }).gc;
  const overshoot = (ns: number): number => Math.max(0, ns / 1e6 - PROBE_RESOLUTION_MS);
  const report = (): void => {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const snapshot: ProbeSnapshot = {
      seq: ++seq,
      cpuUs: cpu.user + cpu.system,
      rssBytes: mem.rss,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: mem.heapUsed,
      externalBytes: mem.external,
      lagP50Ms: lag.count > 0 ? overshoot(lag.percentile(50)) : 0,
      lagP99Ms: lag.count > 0 ? overshoot(lag.percentile(99)) : 0,
      lagMaxMs: lag.count > 0 ? overshoot(lag.max) : 0,
      gcCount,
      gcMs,
      gcMaxMs,
    };
    gcMaxMs = 0;
    lag.reset();
    gcCount = 0;
    gcMs = 0;
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    fs.renameSync(`${file}.tmp`, file);
  };
  // With a forced GC, twice a turn apart: V8 frees dead ArrayBuffers' bytes after the GC that found
  // them, so a reading right after one GC counted a previous window's buffers as held.
  process.on('SIGUSR2', () => {
    if (!collect) return report();
    collect();
    setImmediate(() => {
      collect();
      report();
    });
  });
}
