/** Latency percentiles in milliseconds, as every table and result file reports them. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/**
 * Collects raw samples and sorts once at the end. At our rates (≤ a few million samples per step)
 * exact percentiles are cheaper to reason about than a bucketed histogram.
 */
export class Samples {
  private data = new Float64Array(1024);
  private n = 0;

  add(value: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = value;
  }

  get count(): number {
    return this.n;
  }

  percentiles(): Percentiles {
    return percentilesOf(this.data.subarray(0, this.n));
  }
}

export function percentilesOf(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const at = (q: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] ?? 0;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, p50: at(0.5), p95: at(0.95), p99: at(0.99), p999: at(0.999), max: sorted[n - 1] ?? 0, mean: sum / n };
}

/** Rounds every field for the result file (µs precision is plenty for ms latencies). */
export function roundPercentiles(p: Percentiles, digits = 3): Percentiles {
  const f = 10 ** digits;
  const r = (x: number): number => Math.round(x * f) / f;
  return { count: p.count, p50: r(p.p50), p95: r(p.p95), p99: r(p.p99), p999: r(p.p999), max: r(p.max), mean: r(p.mean) };
}
