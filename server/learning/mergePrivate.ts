/**
 * Materialises private observations in the note at the reveal: the record in `observations`
 * (with its author and the device time it was written), the server's receipt stamp (when the
 * server received it during the session, not the reveal's time), and its mark in the text: a
 * span's words are marked, a tagged line's marker is inserted where the author's cursor was.
 * Until then the shared text holds no trace of them; the anchors are Yjs relative positions, so
 * they followed everything both therapists wrote meanwhile.
 */
import * as Y from 'yjs';
import type { BlindAnchor } from '../../shared/domain/blind';
import type { Observation, ServerStamp } from '../../shared/domain/observation';
import { NOTE_CHILDREN, ownEntry } from '../../shared/note/noteSchema';
import { MENTION_NODE, OBSERVATION_MARK, OBSERVATIONS, sessionDoc, stampKey } from '../../shared/ydoc/sessionDoc';

export interface PrivateItem {
  record: Observation;
  anchor: BlindAnchor;
  stamp: ServerStamp;
  /** A tagged line's marker text ("Affect · M2 — "). */
  label: string;
}

const decode = (b64: string): Y.RelativePosition | null => {
  try {
    return Y.decodeRelativePosition(Buffer.from(b64, 'base64'));
  } catch {
    return null;
  }
};

const plain = (text: Y.XmlText) => (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');

/** Inline nodes that sit between a paragraph's text nodes: one place each, no characters of their own. */
const INLINE_NODES = new Set([MENTION_NODE, 'hardBreak']);
const isInline = (n: unknown): n is Y.XmlElement => n instanceof Y.XmlElement && INLINE_NODES.has(n.nodeName);

/**
 * A place in a text block, counted over its inline content: each text node's characters, and one
 * place for each mention chip or line break between them. A paragraph holding a mention is several
 * sibling nodes (text, mention, text), so a selection that starts at, ends at or runs across a chip
 * has its ends in different nodes, or between the paragraph's children rather than in any text:
 * only a place in the block as a whole says which words it covers.
 */
export interface BlockPlace {
  block: Y.XmlElement;
  offset: number;
}

/** The units of a block's inline content in order: text nodes and inline nodes. */
function inlineChildren(block: Y.XmlElement): (Y.XmlText | Y.XmlElement)[] | null {
  const children = block.toArray();
  return children.every((c) => c instanceof Y.XmlText || isInline(c)) ? (children as (Y.XmlText | Y.XmlElement)[]) : null;
}

const placesIn = (node: Y.XmlText | Y.XmlElement) => (node instanceof Y.XmlText ? node.length : 1);

/** Where a relative position is in its text block now, or null when it is gone or not in a text block. */
export function blockPlace(doc: Y.Doc, b64: string): BlockPlace | null {
  const rel = decode(b64);
  const abs = rel && Y.createAbsolutePositionFromRelativePosition(rel, doc);
  if (!abs) return null;
  // In a text node: its place in the paragraph holding it.
  const inText = abs.type instanceof Y.XmlText && abs.type.parent instanceof Y.XmlElement;
  const block = (inText ? abs.type.parent : abs.type) as Y.XmlElement;
  // A block that holds text (paragraph, heading, code): a crafted position inside a mention chip
  // or an empty list item had the reveal write a marker into the chip or the list.
  if (!(block instanceof Y.XmlElement) || !ownEntry(NOTE_CHILDREN, block.nodeName)?.includes('#text')) return null;
  const children = inlineChildren(block);
  if (!children) return null;
  // Between the block's children (next to a mention chip, or an empty paragraph): count up to there.
  const upTo = inText ? children.indexOf(abs.type as Y.XmlText) : abs.index;
  if (upTo < 0) return null;
  const before = children.slice(0, upTo).reduce((n, c) => n + placesIn(c), 0);
  return { block, offset: before + (inText ? abs.index : 0) };
}

/** Each inline child of a block with the offset where it starts. */
function layout(block: Y.XmlElement): { node: Y.XmlText | Y.XmlElement; start: number }[] {
  let at = 0;
  return (inlineChildren(block) ?? []).map((node) => {
    const start = at;
    at += placesIn(node);
    return { node, start };
  });
}

/** A position in the note's text: the XmlText and the index in it, or null when it no longer exists. */
export function textPosition(doc: Y.Doc, b64: string): { text: Y.XmlText; index: number } | null {
  const place = blockPlace(doc, b64);
  return place && inText(place);
}

/** The text node a place in a block is in or at the edge of, and the index there (a new text node when only chips are around). */
function inText(place: BlockPlace): { text: Y.XmlText; index: number } {
  const parts = layout(place.block);
  // The text node the place is in or at the edge of (a place next to a chip belongs to the text beside it).
  for (const { node, start } of parts) {
    if (node instanceof Y.XmlText && place.offset >= start && place.offset <= start + node.length) return { text: node, index: place.offset - start };
  }
  // Only chips around it (or an empty paragraph): a new text node there, so a marker can be written.
  const index = parts.filter((p) => p.start < place.offset).length;
  const text = new Y.XmlText();
  place.block.insert(index, [text]);
  return { text, index: 0 };
}

/** The two ends of a span in one text block now, or null when they are gone, in different blocks, or cover nothing. */
function spanPlaces(doc: Y.Doc, anchor: Extract<BlindAnchor, { kind: 'span' }>): { block: Y.XmlElement; from: number; to: number } | null {
  const from = blockPlace(doc, anchor.from);
  const to = blockPlace(doc, anchor.to);
  if (!from || !to || from.block !== to.block || to.offset <= from.offset) return null;
  return { block: from.block, from: from.offset, to: to.offset };
}

/** The words an anchor covers as the note reads now (a mention as "@M1"): a span's text; '' for a line or words that are gone. */
export function anchorQuote(doc: Y.Doc, anchor: BlindAnchor): string {
  if (anchor.kind !== 'span') return '';
  const span = spanPlaces(doc, anchor);
  if (!span) return '';
  return layout(span.block).map(({ node, start }) => {
    if (node instanceof Y.XmlText) return plain(node).slice(Math.max(0, span.from - start), Math.max(0, span.to - start));
    if (start < span.from || start >= span.to) return '';
    return node.nodeName === MENTION_NODE ? `@${String(node.getAttribute('id') ?? '')}` : '\n';
  }).join('');
}

/** Whether the anchor points into the note's text now (a span must still cover some words or chips). */
export function anchorResolves(doc: Y.Doc, anchor: BlindAnchor): boolean {
  if (anchor.kind === 'line') return blockPlace(doc, anchor.at) !== null;
  return anchorQuote(doc, anchor) !== '';
}

/** Each text node a span covers characters of, with the range it covers there. */
function spanRanges(span: { block: Y.XmlElement; from: number; to: number }): { node: Y.XmlText; from: number; to: number }[] {
  return layout(span.block).flatMap(({ node, start }) => {
    if (!(node instanceof Y.XmlText)) return [];
    const from = Math.max(0, span.from - start);
    const to = Math.min(node.length, span.to - start);
    return to > from ? [{ node, from, to }] : [];
  });
}

/** Whether any character in the range already carries an observation's mark (one per character, as in the editor). */
function tagged(node: Y.XmlText, from: number, to: number): boolean {
  let at = 0;
  for (const d of node.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const len = typeof d.insert === 'string' ? d.insert.length : 1;
    if (at < to && at + len > from && d.attributes?.[OBSERVATION_MARK]) return true;
    at += len;
  }
  return false;
}

/** Writes a tagged line's marker at a place in the text, after a space when it follows other text. */
function insertMarker(at: { text: Y.XmlText; index: number }, label: string, mark: Record<string, unknown>): void {
  // What stands before the marker: the text's character, or a chip just before the text node.
  const chipBefore = at.index === 0 && isInline(at.text.prevSibling) && at.text.prevSibling.nodeName === MENTION_NODE;
  const before = at.index > 0 ? plain(at.text)[at.index - 1] : chipBefore ? '@' : undefined;
  const space = before !== undefined && !/\s/.test(before);
  if (space) at.text.insert(at.index, ' ', { [OBSERVATION_MARK]: null });
  at.text.insert(at.index + (space ? 1 : 0), label, mark);
}

/** The longest quote a merged line writes, in characters: enough to find the words; each whole quote of a long paragraph multiplied the note (attack, 4 Dec: 100 k characters tagged 300 times became 30 M). */
const QUOTE_CHARS = 200;

function shortened(quote: string): string {
  const chars = Array.from(quote);
  return chars.length <= QUOTE_CHARS ? quote : `${chars.slice(0, QUOTE_CHARS - 1).join('').trimEnd()}…`;
}

/**
 * Marks a span observation's words. When some of them are already tagged by another private
 * observation (both therapists tagged the same words), the mark of the one merged later would take
 * the words from the first (walk, 2 Dec): it becomes a tagged line of its own instead, after the
 * paragraph, quoting the words it tagged. (Its marker used to go right before the words, into the
 * writer's sentence, and the line then took in the rest of the sentence as its words: walk, 4 Dec.)
 * `linesAfter` counts the lines already written after each paragraph, so they keep the merge's
 * order. Null when the span covers no characters (only chips, or nothing left).
 */
function markSpan(doc: Y.Doc, anchor: Extract<BlindAnchor, { kind: 'span' }>, label: string, mark: Record<string, unknown>, linesAfter: Map<Y.XmlElement, number>): 'span' | 'line' | null {
  const span = spanPlaces(doc, anchor);
  const ranges = span ? spanRanges(span) : [];
  if (!span || ranges.length === 0) return null;
  if (ranges.some((r) => tagged(r.node, r.from, r.to))) {
    const parent = span.block.parent as Y.XmlElement | Y.XmlFragment;
    const written = linesAfter.get(span.block) ?? 0;
    const text = new Y.XmlText();
    const line = new Y.XmlElement('paragraph');
    line.insert(0, [text]);
    parent.insert(parent.toArray().indexOf(span.block) + 1 + written, [line]);
    linesAfter.set(span.block, written + 1);
    text.insert(0, label, mark);
    // Single quotes: these are the line's words, which every view quotes in double ones (“‘eyes
    // filled’”); double ones here read ““eyes filled”” there (walk, 6 Dec).
    text.insert(label.length, `‘${shortened(anchorQuote(doc, anchor).trim())}’`, { [OBSERVATION_MARK]: null });
    return 'line';
  }
  for (const r of ranges) r.node.format(r.from, r.to - r.from, mark);
  return 'span';
}

/**
 * Writes the items into the note (call inside one server transaction). An observation already in
 * the note is skipped, so a repeated merge changes nothing. Returns how many were written and how
 * many of those found no words to mark any more (their text was deleted: record without a mark).
 */
export function mergePrivate(doc: Y.Doc, items: PrivateItem[]): { merged: number; unanchored: number } {
  const { observations, stamps } = sessionDoc(doc);
  let merged = 0;
  let unanchored = 0;
  const linesAfter = new Map<Y.XmlElement, number>();
  for (const { record, anchor, stamp, label } of items) {
    if (observations.has(record.id)) continue;
    const mark = { [OBSERVATION_MARK]: { id: record.id } };
    let anchored = false;
    let kind = record.kind;
    if (anchor.kind === 'span') {
      const marked = markSpan(doc, anchor, label, mark, linesAfter);
      anchored = marked !== null;
      if (marked === 'line') kind = 'line';
    } else {
      const at = textPosition(doc, anchor.at);
      if (at) {
        insertMarker(at, label, mark);
        anchored = true;
      }
    }
    observations.set(record.id, { ...record, kind });
    stamps.set(stampKey(OBSERVATIONS, record.id), stamp);
    merged++;
    if (!anchored) unanchored++;
  }
  return { merged, unanchored };
}
