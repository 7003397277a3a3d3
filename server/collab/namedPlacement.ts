import * as Y from 'yjs';

/** A struct of the update or of the note, by id (updateEffects' lookup). */
type Lookup = (id: Y.ID) => Y.Item | Y.GC | Y.Skip | null;

const key = (id: Y.ID) => `${id.client}:${id.clock}`;
const sameId = (a: Y.ID | null, b: Y.ID | null) => (a === null ? b === null : b !== null && a.client === b.client && a.clock === b.clock);

/**
 * Whether Yjs puts each of an update's new items (`items`, in the order Yjs integrates them) right
 * where the item names: after its left origin, with its right origin next, as an editor's own
 * transaction writes them. Yjs reads the right origin only as where to stop looking: an item
 * naming a right origin elsewhere (or none) is ordered among whatever follows its left origin by
 * Yjs's conflict rules, and an item naming no left origin is ordered among the items from the
 * start of the text up to its right origin. The observation guard's quick reading of marks
 * trusted the named places; two marks around the co-therapist's words, naming right origins
 * elsewhere, put her observation on them, and one closing with no left origin took it off part
 * of hers (attack, 6 Dec). Not placed as named: the guard judges exactly, on a copy. An honest
 * page's edit made while another's came in between reads so too (rare; it is judged exactly).
 */
export function placedAsNamed(doc: Y.Doc, items: readonly Y.Item[], lookup: Lookup, isNew: (item: Y.Item) => boolean): boolean {
  // What stands right of a place once the update's items before have gone in: by the left
  // origin's id, or `start:` and the parent for the start of a type.
  const rightNow = new Map<string, Y.ID | null>();
  /** Right of the place after `origin`, before anything of this update went there. */
  const rightOfOrigin = (origin: Y.ID): Y.ID | null | undefined => {
    const left = lookup(origin);
    if (!(left instanceof Y.Item)) return undefined;
    if (origin.clock < left.id.clock + left.length - 1) return Y.createID(origin.client, origin.clock + 1);
    if (isNew(left)) return left.rightOrigin;
    return left.right?.id ?? null;
  };
  for (const s of items) {
    let place: string;
    let expected: Y.ID | null | undefined;
    if (s.origin) {
      place = key(s.origin);
      expected = rightNow.has(place) ? rightNow.get(place) : rightOfOrigin(s.origin);
    } else {
      const start = startOf(doc, s, lookup, isNew);
      if (start === undefined) return false;
      place = `start:${start.parent}`;
      expected = rightNow.has(place) ? rightNow.get(place) : start.first;
    }
    if (expected === undefined || !sameId(s.rightOrigin, expected)) return false;
    rightNow.set(place, s.id);
    // The item's own end now has what was right of the place.
    rightNow.set(key(Y.createID(s.id.client, s.id.clock + s.length - 1)), expected);
  }
  return true;
}

/**
 * For an item naming no left origin: its type (as a key) and the first item in it before the
 * update. The type is its explicit parent, or that of its right origin; undefined when neither
 * is known.
 */
function startOf(doc: Y.Doc, s: Y.Item, lookup: Lookup, isNew: (item: Y.Item) => boolean): { parent: string; first: Y.ID | null } | undefined {
  if (typeof s.parent === 'string') {
    const type = doc.share.get(s.parent);
    return { parent: s.parent, first: type?._start?.id ?? null };
  }
  if (s.parent instanceof Y.ID) {
    const item = lookup(s.parent);
    if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentType)) return undefined;
    return { parent: key(s.parent), first: isNew(item) ? null : (item.content.type._start?.id ?? null) };
  }
  const right = s.rightOrigin ? lookup(s.rightOrigin) : null;
  if (!(right instanceof Y.Item) || isNew(right)) return undefined;
  const parent = right.parent as Y.AbstractType<unknown>;
  return { parent: parent._item ? key(parent._item.id) : (Y.findRootTypeKey(parent) ?? ''), first: parent._start?.id ?? null };
}
