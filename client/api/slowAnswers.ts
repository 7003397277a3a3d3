/**
 * Whether a request the person made is waiting long for the server's answer. The page holds a
 * button until its answer comes and sends nothing twice, but said nothing meanwhile: with the
 * server's database link crawling, "End session" answered after 46 s and "Sign" after 32 s, each
 * in silence (operator fault test, 6 Dec). A request is not given up (a change the server is
 * still making would be reported as failed although it is stored); the page says that it waits.
 * Background reads (polls, BACKGROUND_HEADER) are not the person's and are not counted.
 */
import { useSyncExternalStore } from 'react';

/** How long an answer may take before the page says it waits for it, ms. */
export const SLOW_ANSWER_MS = 8_000;

/** The person's requests waiting past SLOW_ANSWER_MS: how many, and whether one of them changes something. */
export interface SlowAnswers {
  waiting: number;
  change: boolean;
}

const slow = new Map<symbol, { change: boolean }>();
let current: SlowAnswers | null = null;
const listeners = new Set<() => void>();

function changed(): void {
  current = slow.size === 0 ? null : { waiting: slow.size, change: [...slow.values()].some((s) => s.change) };
  for (const listener of listeners) listener();
}

/**
 * Runs `request` (one of the person's own: `change` when it is not a GET), counting it as slow
 * while it is still waiting past SLOW_ANSWER_MS; resolves or rejects as it does.
 */
export async function timedAnswer<T>(change: boolean, request: () => Promise<T>): Promise<T> {
  const id = Symbol('request');
  const timer = setTimeout(() => {
    slow.set(id, { change });
    changed();
  }, SLOW_ANSWER_MS);
  try {
    return await request();
  } finally {
    clearTimeout(timer);
    if (slow.delete(id)) changed();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The person's slow requests now, or null when none waits past SLOW_ANSWER_MS. */
export function useSlowAnswers(): SlowAnswers | null {
  return useSyncExternalStore(subscribe, () => current);
}
