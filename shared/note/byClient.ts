/** Entries about a stretch of one Yjs client's characters, by that client, each list in clock order. */
export function byClient<T extends { client: number; clock: number }>(entries: Iterable<T>): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const e of entries) {
    const list = out.get(e.client);
    if (list) list.push(e);
    else out.set(e.client, [e]);
  }
  for (const list of out.values()) list.sort((a, b) => a.clock - b.clock);
  return out;
}
