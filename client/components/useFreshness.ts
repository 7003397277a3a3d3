import { useState } from 'react';

/**
 * Orders a hook's reads of server state against each other and against the changes it makes
 * itself. Every read, and every change, takes the next number; a read's answer is shown only if
 * nothing was read or changed after it was asked. Without this, an answer that left before a
 * newer read, or before my own change, and came back after it puts the older state on screen.
 */
export interface Freshness {
  /** The next number: keep it for a read about to leave; take one for a change to make older reads stale. */
  next(): number;
  /** Whether the read that took `asked` is still the last thing asked or changed. */
  isLatest(asked: number): boolean;
}

export function useFreshness(): Freshness {
  const [freshness] = useState((): Freshness => {
    let last = 0;
    return { next: () => ++last, isLatest: (asked) => asked === last };
  });
  return freshness;
}
