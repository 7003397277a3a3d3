import * as Y from 'yjs';

/**
 * How many elements deep the note may nest (a paragraph in a list item in a list in a quote: the
 * paragraph is 3 deep). The editor nests lists two elements per level, so this allows lists 24
 * levels deep; a client nesting 3,000 quotes made every reader of the note (the review, exports,
 * replay) overflow its stack, and the review cost grow with the depth (attack9 P1, P2, 1 Dec).
 */
export const MAX_NESTING = 48;

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * The nesting depth of the items an update writes (how many elements each stands inside), read
 * without applying it: up through parents in the note or written by the update itself, and
 * through the neighbour a new item is put next to (it shares its parent). Iterative and memoised:
 * an update may chain thousands of items through their origins or nest thousands of elements.
 * Depths past MAX_NESTING are reported as MAX_NESTING + 1. `lookup` finds a struct of the update
 * or of the note.
 */
export function nestingDepths(lookup: (id: Y.ID) => Struct | null): (item: Y.Item) => number {
  const memo = new Map<Y.Item, number>();
  return (start) => {
    // Items passed on the way up, with how many elements lie between `start` and them.
    const chain: [Y.Item, number][] = [];
    let item = start;
    let add = 0;
    let base: number;
    for (;;) {
      const known = memo.get(item);
      if (known !== undefined) {
        base = known;
        break;
      }
      chain.push([item, add]);
      if (add > MAX_NESTING) return MAX_NESTING + 1;
      const parent = item.parent;
      if (parent instanceof Y.AbstractType) {
        base = typeDepth(parent);
        break;
      }
      if (parent instanceof Y.ID) {
        const holder = lookup(parent);
        if (!(holder instanceof Y.Item) || !(holder.content instanceof Y.ContentType)) {
          base = 0;
          break;
        }
        if (holder.content.type instanceof Y.XmlElement) add++;
        if (holder.parent instanceof Y.AbstractType) {
          base = typeDepth(holder.content.type);
          add -= holder.content.type instanceof Y.XmlElement ? 1 : 0;
          break;
        }
        item = holder;
        continue;
      }
      if (typeof parent === 'string') {
        base = 0;
        break;
      }
      const neighbour = (item.origin && lookup(item.origin)) || (item.rightOrigin && lookup(item.rightOrigin));
      if (!(neighbour instanceof Y.Item) || chain.length > memo.size + 1_000_000) {
        base = 0;
        break;
      }
      item = neighbour;
    }
    for (const [passed, at] of chain) memo.set(passed, Math.min(MAX_NESTING + 1, base + add - at));
    return memo.get(start)!;
  };
}

/** How many elements a type of the note is, or stands inside (itself counted). */
function typeDepth(type: Y.AbstractType<unknown>): number {
  let depth = 0;
  for (let t: unknown = type; t instanceof Y.AbstractType && depth <= MAX_NESTING; t = t._item?.parent) if (t instanceof Y.XmlElement) depth++;
  return depth;
}
