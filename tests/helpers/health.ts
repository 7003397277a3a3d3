import { deferCleanup } from './services';

export interface Health {
  status: number;
  store?: string;
  redis?: string;
}

/** What `/healthz` says now; status 0 when it did not answer within `withinMs`. */
export async function healthOf(baseUrl: string, withinMs = 5_000): Promise<Health> {
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(withinMs) });
    const body = (await res.json()) as { store?: string; redis?: string };
    return { status: res.status, store: body.store, redis: body.redis };
  } catch {
    return { status: 0 };
  }
}

/** `tandem_dependency_up` from `/metrics`: 1 or 0 per dependency the process has. */
export async function dependenciesUp(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  return Object.fromEntries(Array.from(text.matchAll(/^tandem_dependency_up\{dependency="(\w+)"\} (\d)$/gm), (m) => [m[1]!, Number(m[2])]));
}

/**
 * Asks `/healthz` every `everyMs` for as long as the test runs and keeps the slowest answer, and
 * how many were not answered within `withinMs`: a process whose event loop is stuck (a retry loop
 * spinning on microtasks) answers none.
 */
export function watchResponsiveness(baseUrl: string, { everyMs = 250, withinMs = 5_000 } = {}) {
  const stats = { asked: 0, unanswered: 0, slowestMs: 0 };
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const started = performance.now();
      const { status } = await healthOf(baseUrl, withinMs);
      stats.asked++;
      if (status === 0) stats.unanswered++;
      else stats.slowestMs = Math.max(stats.slowestMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  const running = loop();
  const stop = async () => {
    stopped = true;
    await running;
  };
  deferCleanup(stop);
  return { stats, stop };
}
