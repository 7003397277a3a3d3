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
import { OBSERVATION_MARK, OBSERVATIONS, sessionDoc, stampKey } from '../../shared/ydoc/sessionDoc';

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

/** A position in the note's text: the XmlText and the index in it, or null when it no longer exists. */
export function textPosition(doc: Y.Doc, b64: string): { text: Y.XmlText; index: number } | null {
  const rel = decode(b64);
  const abs = rel && Y.createAbsolutePositionFromRelativePosition(rel, doc);
  if (!abs) return null;
  if (abs.type instanceof Y.XmlText) return { text: abs.type, index: abs.index };
  // A place between a paragraph's children (an empty paragraph): the text next to it.
  if (abs.type instanceof Y.XmlElement) {
    const after = abs.type.get(abs.index);
    if (after instanceof Y.XmlText) return { text: after, index: 0 };
    const before = abs.index > 0 ? abs.type.get(abs.index - 1) : null;
    if (before instanceof Y.XmlText) return { text: before, index: before.length };
  }
  return null;
}

/** The words an anchor covers as the note reads now: a span's text; '' for a line or words that are gone. */
export function anchorQuote(doc: Y.Doc, anchor: BlindAnchor): string {
  if (anchor.kind !== 'span') return '';
  const from = textPosition(doc, anchor.from);
  const to = textPosition(doc, anchor.to);
  if (!from || !to || from.text !== to.text || to.index <= from.index) return '';
  return plain(from.text).slice(from.index, to.index);
}

/** Whether the anchor points into the note's text now (a span must still cover some words). */
export function anchorResolves(doc: Y.Doc, anchor: BlindAnchor): boolean {
  if (anchor.kind === 'line') return textPosition(doc, anchor.at) !== null;
  return anchorQuote(doc, anchor) !== '';
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
  for (const { record, anchor, stamp, label } of items) {
    if (observations.has(record.id)) continue;
    const mark = { [OBSERVATION_MARK]: { id: record.id } };
    let anchored = false;
    if (anchor.kind === 'span') {
      const from = textPosition(doc, anchor.from);
      const to = textPosition(doc, anchor.to);
      if (from && to && from.text === to.text && to.index > from.index) {
        from.text.format(from.index, to.index - from.index, mark);
        anchored = true;
      }
    } else {
      const at = textPosition(doc, anchor.at);
      if (at) {
        const before = plain(at.text)[at.index - 1];
        const space = before !== undefined && !/\s/.test(before);
        if (space) at.text.insert(at.index, ' ', { [OBSERVATION_MARK]: null });
        at.text.insert(at.index + (space ? 1 : 0), label, mark);
        anchored = true;
      }
    }
    observations.set(record.id, record);
    stamps.set(stampKey(OBSERVATIONS, record.id), stamp);
    merged++;
    if (!anchored) unanchored++;
  }
  return { merged, unanchored };
}
