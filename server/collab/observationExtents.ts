import * as Y from 'yjs';
import { lineWordPieces, type LinePiece } from '../../shared/note/lineWords';
import { mentionText } from '../../shared/note/mention';
import { spanQuoted, type SpanPiece } from '../../shared/note/spanWords';
import { MENTION_NODE, OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';

/** An observation whose quoted words a transaction changed: what it quoted before and after (extentQuote). */
export interface ExtentMove {
  id: string;
  was: string;
  now: string;
}

/** A piece of a line as an observation's quote reads it: LinePiece, with whether a run is a mention. */
type Piece = LinePiece & { mention?: boolean };

/**
 * The observations whose quoted words a transaction changed, read inside it (before Yjs cleans
 * formats up and drops what deleted items held): each line the transaction touched (its text or
 * its children changed, or it was deleted) is read as it stood before and as it stands after, and
 * every observation in them whose quote reads otherwise is listed. A join, a split, words typed
 * inside or at the edge, a mark widened or narrowed, a line merged in from elsewhere all change
 * what it quotes, whatever bytes wrote them: this judges the effect, not the edit
 * (shared/note/extentChanges.ts). `deletedNow`: whether the transaction deletes an item (deletedIn);
 * `sender`: the account whose update it is.
 */
export function extentMoves(tr: Y.Transaction, deletedNow: (item: Y.Item) => boolean, sender: string): ExtentMove[] {
  const { note, observations, extents } = sessionDoc(tr.doc);
  // Only another's observation is recorded, and only a record kept can be taken off: else there is nothing to read.
  if (extents.size === 0 && ![...observations.values()].some((o) => o.authorId !== sender)) return [];
  // A new tagged line's record makes its mark a marker that ends the line words before it, wherever
  // the mark was put earlier (attack, 6 Dec: her mark inside his tagged line, its record written
  // next, cut his words short with no line touched). Records are never rewritten: only new ones.
  const newLines = new Set([...(keysWritten(tr, observations) ?? [])].filter((id): id is string => id !== null && observations.get(id)?.kind === 'line'));
  const lines = [...new Set([...touchedLines(tr), ...(newLines.size > 0 ? linesMarking(note, newLines) : [])])];
  if (lines.length === 0) return [];
  const isNew = (item: Y.Item) => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
  const isLine = (id: string) => observations.get(id)?.kind === 'line';
  const before = quotesOf(lines, (item) => !isNew(item) && (!item.deleted || deletedNow(item)), (id) => isLine(id) && !newLines.has(id));
  const after = quotesOf(lines, (item) => !item.deleted, isLine);
  const out: ExtentMove[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(id) ?? '';
    const now = after.get(id) ?? '';
    if (was !== now && observations.has(id)) out.push({ id, was, now });
  }
  return out;
}

/** The elements holding text that a transaction changed or deleted, in no particular but fixed order. */
function touchedLines(tr: Y.Transaction): Y.XmlElement[] {
  const lines = new Set<Y.XmlElement>();
  const add = (type: unknown) => {
    if (type instanceof Y.XmlText && type.parent instanceof Y.XmlElement) lines.add(type.parent);
    else if (type instanceof Y.XmlElement) lines.add(type);
  };
  for (const type of tr.changed.keys()) add(type);
  // A line the transaction deletes (joined into the one before it) quoted what it held before.
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (s instanceof Y.Item && s.content instanceof Y.ContentType) add(s.content.type);
  });
  return [...lines];
}

/** The elements whose text carries a mark of one of `ids`, anywhere in the note (read only when a tagged line's record is new). */
function linesMarking(type: Y.XmlFragment, ids: ReadonlySet<string>): Y.XmlElement[] {
  const lines: Y.XmlElement[] = [];
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null; item = item.right) {
        if (!item.deleted && item.content instanceof Y.ContentFormat && item.content.key === OBSERVATION_MARK && ids.has(markId(item.content.value) ?? '')) {
          if (child.parent instanceof Y.XmlElement) lines.push(child.parent);
          break;
        }
      }
    } else if (child instanceof Y.XmlElement) lines.push(...linesMarking(child, ids));
  }
  return lines;
}

/** What each observation in `lines` quotes, reading only the items `visible` says stood (extentQuote). */
function quotesOf(lines: readonly Y.XmlElement[], visible: (item: Y.Item) => boolean, isLine: (id: string) => boolean): Map<string, string> {
  const quotes = new Map<string, string>();
  for (const line of lines) {
    const pieces = piecesOf(line, visible);
    const ids = new Set(pieces.flatMap((p) => (p.kind === 'run' ? p.observationIds : [])));
    for (const id of ids) {
      const words = extentQuote(pieces, id, isLine);
      const before = quotes.get(id);
      quotes.set(id, before === undefined ? words : `${before}\n${words}`);
    }
  }
  return quotes;
}

/**
 * What an observation quotes among a line's pieces, as the review reads it (observationQuotes.ts):
 * a tagged line's words after its marker (lineWords.ts), a span's marked words with the mentions
 * beside them (spanWords.ts); trimmed.
 */
function extentQuote(pieces: readonly Piece[], id: string, isLine: (id: string) => boolean): string {
  const text = (p: Piece) => (p.kind === 'run' ? p.text : '\n');
  if (isLine(id)) {
    const range = lineWordPieces(pieces, id, isLine);
    return range ? pieces.slice(range.from, range.to).map(text).join('').trim() : '';
  }
  const kinds = pieces.map((p): SpanPiece => {
    if (p.kind !== 'run') return 'other';
    if (p.mention) return 'mention';
    return p.observationIds.includes(id) ? 'marked' : p.text.trim() === '' ? 'space' : 'other';
  });
  return spanQuoted(kinds).map((i) => text(pieces[i]!)).join('').trim();
}

/** A line's inline content as pieces (runs of one observation mark or none, mentions, hard breaks), of the items `visible` says stood. */
function piecesOf(line: Y.XmlElement, visible: (item: Y.Item) => boolean): Piece[] {
  const pieces: Piece[] = [];
  for (let child = line._start; child !== null; child = child.right) {
    if (!visible(child) || !(child.content instanceof Y.ContentType)) continue;
    const type = child.content.type;
    if (type instanceof Y.XmlElement) {
      if (type.nodeName === MENTION_NODE) pieces.push({ kind: 'run', text: mentionText(type.getAttributes()), observationIds: [], mention: true });
      else if (type.nodeName === 'hardBreak') pieces.push({ kind: 'break' });
      continue;
    }
    if (!(type instanceof Y.XmlText)) continue;
    // Formats open at a ContentFormat item and last until one with the same key closes them (as toDelta reads them).
    let mark: string | null = null;
    for (let item = type._start; item !== null; item = item.right) {
      if (!visible(item)) continue;
      if (item.content instanceof Y.ContentFormat) {
        if (item.content.key === OBSERVATION_MARK) mark = markId(item.content.value);
        continue;
      }
      if (!(item.content instanceof Y.ContentString)) continue;
      const last = pieces.at(-1);
      if (last?.kind === 'run' && !last.mention && (last.observationIds[0] ?? null) === mark) last.text += item.content.str;
      else pieces.push({ kind: 'run', text: item.content.str, observationIds: mark === null ? [] : [mark] });
    }
  }
  return pieces;
}

const markId = (value: unknown): string | null =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;

/** The keys of `map` a transaction wrote (Yjs types its `changed` by a base type a map's events do not fit). */
const keysWritten = (tr: Y.Transaction, map: object): Set<string | null> | undefined =>
  (tr.changed as Map<unknown, Set<string | null>>).get(map);
