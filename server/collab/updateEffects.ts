import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';
import type { Struct } from '../../shared/protocol/updateParts';
import { coverageOf } from './markCoverage';
import { placedAsNamed } from './namedPlacement';
import { removedWords } from './removedWords';
import { deletedText } from './deletedText';
import { MAX_NESTING, nestingDepths } from './nestingDepth';
import type { AttributeWrite, KnownState, MapDelete, NoteShape, UpdateFacts } from './updateFacts';
import { mapWriteIds, removedValue, takenByGoneWrites, visibleValueOf } from './mapValueIds';

/*
 * The judging half of the update gate: where each new item of a complete update lands, and what
 * it writes there. Separate from updateGate.ts (decoding and completeness), so it can later run
 * wherever the judge stage runs.
 */

/**
 * Where an item lands once integrated, found the way Yjs finds it: an explicit root name or parent
 * item, else the parent of its left origin, else of its right origin. `gc`: Yjs turns it into a
 * garbage-collected struct (its neighbour or parent is gone), so it changes nothing visible.
 */
type Place =
  | { kind: 'gc' }
  | { kind: 'root'; name: string; sub: string | null }
  | { kind: 'element'; node: string; sub: string | null; element: Y.ID | null }
  | { kind: 'text'; sub: string | null }
  | { kind: 'other' };

/** Fills `mapWrites` and `mapDeletes`, or sets `problem` when something may not be in the note. */
export function judgeEffects(known: KnownState, byClient: Map<number, Struct[]>, ds: DeleteSet, shape: NoteShape, facts: UpdateFacts): void {
  const doc = known.doc();
  const places = new Map<Y.Item, Place>();
  let structCount = 0;
  for (const list of byClient.values()) structCount += list.length;
  // Binary search: a client's structs in an update are in clock order.
  const own = (id: Y.ID): Struct | null => {
    const list = byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return null;
  };
  const lookup = (id: Y.ID): Struct | null => {
    const inUpdate = own(id);
    if (inUpdate && !(inUpdate instanceof Y.Skip) && id.clock >= known.clock(id.client)) return inUpdate;
    return id.clock < known.clock(id.client) ? (Y.getItem(doc.store, id) as Y.Item | Y.GC) : null;
  };
  // Iterative: an offline device's sync can chain thousands of items through their origins.
  const placeOf = (start: Y.Item): Place => {
    const chain: Y.Item[] = [];
    let item = start;
    let place: Place | undefined;
    while (place === undefined) {
      const cached = places.get(item);
      if (cached) {
        place = cached;
        break;
      }
      const step = directPlace(item);
      if (step instanceof Y.Item) {
        chain.push(item);
        // Dependencies were checked to be acyclic; this bound only keeps a bug from looping.
        if (chain.length > places.size + byClient.size + structCount) place = { kind: 'other' };
        item = step;
      } else {
        place = step;
        places.set(item, step);
      }
    }
    for (const c of chain) places.set(c, place);
    return place;
  };
  /** The item's place, or the in-update neighbour whose place it shares. */
  const directPlace = (item: Y.Item): Place | Y.Item => {
    if (isIntegrated(doc, item)) return placeOfType(item.parent as Y.AbstractType<unknown>, item.parentSub);
    if (typeof item.parent === 'string') return { kind: 'root', name: item.parent, sub: item.parentSub };
    if (item.parent instanceof Y.ID) {
      const parent = lookup(item.parent);
      if (!(parent instanceof Y.Item) || !(parent.content instanceof Y.ContentType)) return { kind: 'gc' };
      return placeOfContentType(parent, item.parentSub);
    }
    const left = item.origin ? lookup(item.origin) : null;
    const right = item.rightOrigin ? lookup(item.rightOrigin) : null;
    if (left instanceof Y.GC || right instanceof Y.GC) return { kind: 'gc' };
    const neighbour = left instanceof Y.Item ? left : right instanceof Y.Item ? right : null;
    return neighbour ?? { kind: 'gc' };
  };
  const placeOfContentType = (parent: Y.Item, sub: string | null): Place => {
    if (isIntegrated(doc, parent)) return placeOfType((parent.content as Y.ContentType).type, sub);
    const type = (parent.content as Y.ContentType).type;
    // A type written in this update: judged where it is inserted; here only its kind matters.
    return typeKind(type, sub);
  };
  const placeOfType = (type: Y.AbstractType<unknown>, sub: string | null): Place => {
    if (type._item === null) {
      const name = Y.findRootTypeKey(type);
      return { kind: 'root', name, sub };
    }
    return typeKind(type, sub);
  };

  const problem = (message: string) => {
    facts.problem ??= message;
  };
  const formats: Y.Item[] = [];
  const depthOf = nestingDepths(lookup);
  /** A node or run of text (an allowed element or an XmlText) must be one its parent may hold, no deeper than MAX_NESTING. */
  const nesting = (parent: string, s: Y.Item) => {
    const type = (s.content as Y.ContentType).type;
    const why = shape.childProblem(parent, type instanceof Y.XmlText ? '#text' : (type as Y.XmlElement).nodeName);
    if (why) problem(why);
    else if (type instanceof Y.XmlElement && depthOf(s) >= MAX_NESTING) problem(`the note nests no deeper than ${MAX_NESTING} blocks`);
  };
  for (const list of byClient.values()) {
    for (const s of list) {
      if (!(s instanceof Y.Item) || s.id.clock + s.length <= known.clock(s.id.client)) continue;
      const place = placeOf(s);
      const content = s.content;
      const removed = content instanceof Y.ContentDeleted;
      switch (place.kind) {
        case 'gc':
          break;
        case 'other':
          problem('content under a part of the note that holds no such content');
          break;
        case 'root':
          if (shape.watchedMaps.includes(place.name)) {
            if (place.sub === null) problem(`"${place.name}" is a map; it holds keyed values only`);
            else if (removed) facts.mapDeletes.push(...visibleValueOf(doc, place.name, place.sub));
            // Yjs merges consecutive values of one key into one item (a map shows the last of them).
            // Each value after the first in one item was written right after the one before it.
            else if (content instanceof Y.ContentAny) content.arr.forEach((value, i) => facts.mapWrites.push({ map: place.name, key: place.sub!, value, ...mapWriteIds(s, i), gone: Y.isDeleted(ds, Y.createID(s.id.client, s.id.clock + i)) }));
            else problem(`"${place.name}" holds plain values only`);
          } else if (place.name === shape.textRoot) {
            if (place.sub !== null) problem('the note has no attributes');
            else if (!removed && !isAllowedElement(content, shape)) problem(elementProblem(content));
            else if (!removed) nesting('doc', s);
          } else {
            problem(`"${place.name}" is not part of the note`);
          }
          break;
        case 'element':
          if (place.sub !== null) {
            const values = removed ? [undefined] : content instanceof Y.ContentAny ? content.arr : null;
            if (!values) problem(`"${place.node}" attributes hold plain values only`);
            for (const value of values ?? []) {
              const why = shape.attributeProblem(place.node, place.sub, value);
              if (why) problem(why);
              facts.attributeWrites.push({ node: place.node, attribute: place.sub, value, element: place.element && { client: place.element.client, clock: place.element.clock } });
            }
          } else if (!removed && !isAllowedElement(content, shape) && !(content instanceof Y.ContentType && content.type instanceof Y.XmlText)) {
            problem(elementProblem(content));
          } else if (!removed) {
            nesting(place.node, s);
          }
          break;
        case 'text':
          if (place.sub !== null) problem('text has no attributes');
          else if (content instanceof Y.ContentFormat) {
            const why = shape.markProblem(content.key, content.value);
            if (why) problem(why);
            else if (content.key === shape.observationMark) formats.push(s);
          } else if (!removed && !(content instanceof Y.ContentString)) problem('text holds characters and marks only');
          break;
      }
    }
  }
  facts.mapDeletes.push(...takenByGoneWrites(doc, facts.mapWrites));
  for (const [client, ranges] of ds.clients) {
    for (const r of ranges) {
      if (known.isDeleted(client, r.clock, r.clock + r.len)) continue;
      const removed = deletedKeyedValues(doc, client, r.clock, r.len, shape.watchedMaps);
      facts.mapDeletes.push(...removed.mapDeletes);
      // A deleted attribute is a write of nothing to it (a mention that names no one), unless its
      // element goes too. Yjs finds a range by binary search: in a crafted, unsorted delete set it
      // may miss the element (then the attribute counts as blanked), never find one not there.
      for (const w of removed.attributes) {
        if (w.element && Y.isDeleted(ds, Y.createID(w.element.client, w.element.clock))) continue;
        const why = shape.attributeProblem(w.node, w.attribute, undefined);
        if (why) problem(why);
        facts.attributeWrites.push(w);
      }
    }
  }
  if (formats.length > 0 || ds.clients.size > 0) {
    const isNew = (item: Y.Item) => !isIntegrated(doc, item);
    // Listed only when a mark is touched: most updates with deletions (a backspace) touch none.
    const fresh = () => [...byClient.values()].flat().filter((s): s is Y.Item => s instanceof Y.Item && s.id.clock + s.length > known.clock(s.id.client));
    facts.observationMarks = coverageOf(doc, formats, shape.observationMark, lookup, isNew, fresh, ds);
    facts.marksUnsure = formats.length > 0 && !placedAsNamed(doc, fresh(), lookup, isNew);
    for (const [id, removed] of removedWords(doc, ds, shape.observationMark)) facts.observationMarks.push({ id, existingChars: 0, newText: '', uncovers: false, removed });
  }
  if (ds.clients.size > 0) facts.deletedText = deletedText(doc, ds);
}

const isIntegrated = (doc: Y.Doc, item: Y.Item): boolean => item.parent instanceof Y.AbstractType && item.parent.doc === doc;

function typeKind(type: Y.AbstractType<unknown>, sub: string | null): Place {
  // A type written in the update itself has no item yet: its element is new.
  if (type instanceof Y.XmlElement) return { kind: 'element', node: type.nodeName, sub, element: type._item?.id ?? null };
  if (type instanceof Y.XmlText) return { kind: 'text', sub };
  return { kind: 'other' };
}

function isAllowedElement(content: Y.Item['content'], shape: NoteShape): boolean {
  return content instanceof Y.ContentType && content.type instanceof Y.XmlElement && shape.isNode(content.type.nodeName);
}

function elementProblem(content: Y.Item['content']): string {
  if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) return `"${content.type.nodeName}" is not a node the note can hold`;
  return 'the note holds elements and text only';
}

/**
 * What deleting `[clock, clock + len)` of `client` would remove from keyed places: values of the
 * watched root maps, and attributes of the note's elements (as writes of nothing).
 */
function deletedKeyedValues(doc: Y.Doc, client: number, clock: number, len: number, watched: readonly string[]): { mapDeletes: MapDelete[]; attributes: AttributeWrite[] } {
  const out = { mapDeletes: [] as MapDelete[], attributes: [] as AttributeWrite[] };
  const structs = doc.store.clients.get(client);
  if (!structs) return out;
  const end = Math.min(clock + len, Y.getState(doc.store, client));
  if (clock >= end) return out;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const s = structs[i]!;
    if (s.id.clock >= end) break;
    if (!(s instanceof Y.Item) || s.deleted || s.parentSub === null || !(s.parent instanceof Y.AbstractType)) continue;
    if (s.parent._item === null) {
      const name = Y.findRootTypeKey(s.parent);
      if (watched.includes(name)) out.mapDeletes.push(removedValue(name, s.parentSub, s));
    } else if (s.parent instanceof Y.XmlElement) {
      const { id } = s.parent._item;
      out.attributes.push({ node: s.parent.nodeName, attribute: s.parentSub, value: undefined, element: { client: id.client, clock: id.clock } });
    }
  }
  return out;
}
