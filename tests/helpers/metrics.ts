/**
 * One counter or gauge from a server's /metrics (Prometheus text format): unlabelled, or the
 * series with exactly `labels`, e.g. `{ reason: 'address' }`.
 */
export async function metricValue(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const series = pairs.length > 0 ? `${name}{${pairs.join(',')}}` : name;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`metric ${series} not found`);
  return Number(line.slice(series.length + 1));
}
