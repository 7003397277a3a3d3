import type { AtomicWrite } from './ports';

/**
 * A backend's write for every kind of `AtomicWrite`, each given its own kind's shape and how many
 * rows the write before it changed (for an audit write's `countInto`). A mapped type, so a new
 * kind does not compile until every backend can write it.
 */
export type AtomicWriters<R> = { [K in AtomicWrite['kind']]: (w: Extract<AtomicWrite, { kind: K }>, changedBefore: number) => R };

/** The writer for `w`'s kind. */
export function writeOf<R>(writers: AtomicWriters<R>, w: AtomicWrite): (w: AtomicWrite, changedBefore: number) => R {
  // TypeScript cannot correlate `writers[w.kind]` with `w`'s own member of the union; the mapped
  // type above guarantees each entry takes exactly its kind's writes.
  return writers[w.kind] as (w: AtomicWrite, changedBefore: number) => R;
}
