import type { Connection } from './Connection';

/** Where a transaction on a note's Y.Doc came from: persistence and fan-out depend on it. */
export type Origin =
  /** `bind`: client ids this update uses for the first time, bound to the sender when it is stored. */
  | { source: 'connection'; conn: Connection; bind: number[]; writers: Set<number> }
  | { source: 'fanout'; bindings: [number, string][] }
  | { source: 'local' };
