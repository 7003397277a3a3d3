import type * as Y from 'yjs';
import { carriedIndex, type AuthorPiece, type CarriedWords } from '../../shared/note/carriedWords';
import { formattedIndex, type FormattedWords } from '../../shared/note/formattedWords';

const indexes = new WeakMap<Y.Map<unknown>, Map<string, unknown>>();

/**
 * An index of a Y.Map's entries, built when first asked for and dropped when the map changes.
 * The after-apply steps of every keystroke look words up in the note's `struck` and `carried`
 * maps; reading every entry each time would cost each keystroke in proportion to the whole
 * note's history of corrections.
 */
export function mapIndex<V, I>(map: Y.Map<V>, name: string, build: (entries: [string, V][]) => I): I {
  let byName = indexes.get(map as Y.Map<unknown>);
  if (!byName) {
    const built = new Map<string, unknown>();
    indexes.set(map as Y.Map<unknown>, built);
    map.observe(() => built.clear());
    byName = built;
  }
  if (!byName.has(name)) byName.set(name, build([...map.entries()]));
  return byName.get(name) as I;
}

/** Who wrote each stretch of a client's characters, read through the note's `carried` ranges (carriedWords.ts). */
export function carriedAuthors(carried: Y.Map<CarriedWords>): (client: number, clock: number, len: number) => AuthorPiece[] {
  return mapIndex(carried, 'authors', (all) => carriedIndex(all.map(([, c]) => c)));
}

/** The entries of `formatted` over a stretch of a client's characters (formattedWords.ts), read through one index. */
export function formattedOver(formatted: Y.Map<FormattedWords>): (client: number, from: number, to: number) => FormattedWords[] {
  return mapIndex(formatted, 'index', (all) => formattedIndex(all.map(([, e]) => e)));
}
