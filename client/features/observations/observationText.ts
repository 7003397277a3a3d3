/**
 * What each observation says, read from the editor's document the way the review reads the stored
 * note: a span's words are the text its mark covers; a tagged line's words are what follows its
 * marker on that line (`shared/note/lineWords.ts`, shared with the server's review and exports).
 */
import type { Node as PMNode } from '@tiptap/pm/model';
import { lineWordPieces, lineWords, type LinePiece } from '../../../shared/note/lineWords';
import { MENTION_NODE, OBSERVATION_MARK } from '../../../shared/ydoc/sessionDoc';
import { observationRanges } from './observationModel';

interface PlacedPiece {
  piece: LinePiece;
  from: number;
  to: number;
}

function observationIdsOf(node: PMNode): string[] {
  return node.marks.filter((m) => m.type.name === OBSERVATION_MARK && typeof m.attrs.id === 'string').map((m) => m.attrs.id as string);
}

/** Each text block's inline content as pieces, with where each sits in the document. */
function textblocks(doc: PMNode): PlacedPiece[][] {
  const blocks: PlacedPiece[][] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const pieces: PlacedPiece[] = [];
    node.forEach((child, offset) => {
      const from = pos + 1 + offset;
      const to = from + child.nodeSize;
      if (child.isText) pieces.push({ piece: { kind: 'run', text: child.text ?? '', observationIds: observationIdsOf(child) }, from, to });
      else if (child.type.name === 'hardBreak') pieces.push({ piece: { kind: 'break' }, from, to });
      // A mention is words of the line ("@M2"), as in the review and the exports.
      else if (child.type.name === MENTION_NODE) pieces.push({ piece: { kind: 'run', text: `@${String(child.attrs.id ?? '')}`, observationIds: [] }, from, to });
    });
    if (pieces.some((p) => p.piece.kind === 'run' && p.piece.observationIds.length > 0)) blocks.push(pieces);
    return false;
  });
  return blocks;
}

const idsIn = (pieces: PlacedPiece[]) => new Set(pieces.flatMap((p) => (p.piece.kind === 'run' ? p.piece.observationIds : [])));

/**
 * The words of every observation whose mark is in the document, by id (the same text the review
 * shows). Observations whose mark is gone are absent.
 */
export function observationQuotes(doc: PMNode, isLine: (id: string) => boolean): Map<string, string> {
  const quotes = new Map<string, string>();
  for (const [id, range] of observationRanges(doc)) if (!isLine(id)) quotes.set(id, doc.textBetween(range.from, range.to, ' '));
  for (const block of textblocks(doc)) {
    const pieces = block.map((p) => p.piece);
    for (const id of idsIn(block)) {
      if (!isLine(id)) continue;
      const words = lineWords(pieces, id, isLine) ?? '';
      const before = quotes.get(id);
      quotes.set(id, before === undefined ? words : `${before}\n${words}`);
    }
  }
  return quotes;
}

/**
 * Of `ids` (tagged lines), those with no words written after their marker yet. Flagged so, a line
 * is no flag to answer yet: "Nothing written after the tag yet" arrived as one (walk, 4 Dec).
 */
export function linesWithoutWords(doc: PMNode, ids: readonly string[], isLine: (id: string) => boolean): Set<string> {
  const waiting = new Set(ids);
  if (waiting.size === 0) return waiting;
  for (const block of textblocks(doc)) {
    const pieces = block.map((p) => p.piece);
    for (const id of idsIn(block)) if (waiting.has(id) && (lineWords(pieces, id, isLine) ?? '').trim() !== '') waiting.delete(id);
  }
  return waiting;
}

/** Where each tagged line's words are in the document (for showing them as part of the observation). */
export function lineWordRanges(doc: PMNode, isLine: (id: string) => boolean): { id: string; from: number; to: number }[] {
  const ranges: { id: string; from: number; to: number }[] = [];
  for (const block of textblocks(doc)) {
    const pieces = block.map((p) => p.piece);
    for (const id of idsIn(block)) {
      if (!isLine(id)) continue;
      const span = lineWordPieces(pieces, id, isLine);
      if (!span || span.to <= span.from) continue;
      ranges.push({ id, from: block[span.from]!.from, to: block[span.to - 1]!.to });
    }
  }
  return ranges;
}
