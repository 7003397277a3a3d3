import type { TestClient } from './connectClient';
import { appendParagraph } from './connectClient';

/**
 * Types numbered lines into a client at a steady pace and remembers which lines the server had
 * confirmed as stored at some moment (isSaved true while the line was in the note).
 */
export function startTyping(client: TestClient, prefix: string, everyMs = 5) {
  const confirmed = new Set<string>();
  const written: string[] = [];
  let n = 0;
  const typer = setInterval(() => {
    const line = `${prefix}-${n++}`;
    written.push(line);
    appendParagraph(client.doc, line);
  }, everyMs);
  const watcher = setInterval(() => {
    if (!client.isSaved()) return;
    for (const line of client.text().split('\n')) if (line.startsWith(prefix)) confirmed.add(line);
  }, 1);
  return {
    confirmed,
    written,
    stop: () => {
      clearInterval(typer);
      clearInterval(watcher);
    },
  };
}

/** A small seeded PRNG (mulberry32), so a failing fault run can be repeated exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
