/** The longest wait between two attempts at a write storage refused. */
const MAX_RETRY_MS = 30_000;

/**
 * How long to wait before attempt `failures + 1` of a write storage refused: exponential from
 * 200 ms up to 30 s, each wait drawn between half and all of that, so the writers of a process
 * (and the processes of a cluster) do not all come back to a recovering database at once.
 */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, 100 * 2 ** failures);
  return ceiling / 2 + (random() * ceiling) / 2;
}
