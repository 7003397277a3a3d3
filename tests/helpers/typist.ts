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

/** The benchmark's seeded PRNG, so a failing fault run can be repeated exactly. */
export { createRandom as seeded } from '../../bench/lib/util';
