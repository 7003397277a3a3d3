import * as Y from 'yjs';
import { lineWordPieces, type LinePiece } from '../../shared/note/lineWords';
import { mentionText } from '../../shared/note/mention';
import { spanQuoted, type SpanPiece } from '../../shared/note/spanWords';
import { MENTION_NODE, OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { inNoteOrder, linesMarkedBy, markId, marksIn, touchedLines } from './markedLines';

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
  if (extents.size === 0 && !othersObservation(observations, sender)) return [];
  // A new tagged line's record makes its mark a marker that ends the line words before it, wherever
  // the mark was put earlier (attack, 6 Dec: her mark inside his tagged line, its record written
  // next, cut his words short with no line touched). Records are never rewritten: only new ones.
  const written = [...(keysWritten(tr, observations) ?? [])].filter((id): id is string => id !== null);
  const newLines = new Set(written.filter((id) => observations.get(id)?.kind === 'line'));
  // And a tagged line's record taken off (its author retracting it, the mark left) ends none from
  // then on: his tagged line before her marker read on through her words, unrecorded (attack, 6 Dec).
  const goneLines = new Set(written.filter((id) => !observations.has(id) && removedKind(observations, id) === 'line'));
  const isNew = (item: Y.Item) => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
  const stood = (item: Y.Item) => !isNew(item) && (!item.deleted || deletedNow(item));
  const stands = (item: Y.Item) => !item.deleted;
  const either = (item: Y.Item) => stood(item) || stands(item);
  const markedBy = linesMarkedBy(note);
  const touched = new Set([...touchedLines(tr), ...[...newLines, ...goneLines].flatMap((id) => [...markedBy(id)])]);
  if (touched.size === 0) return [];
  // Only another's observation is recorded, and only a kept record taken off: the author's own need no reading.
  const ids = new Set([...touched].flatMap((line) => marksIn(line, either)).filter((id) => {
    const o = observations.get(id);
    return o !== undefined && (o.authorId !== sender || extents.has(id));
  }));
  if (ids.size === 0) return [];
  // An observation is read whole, over every line it is in (attack, 6 Dec: read in the touched lines
  // alone, a change of one part recorded that part as all it quoted, and putting that part back took
  // the record off while another part still read B's words).
  const lines = inNoteOrder(new Set([...touched, ...[...ids].flatMap((id) => [...markedBy(id)])]));
  const isLine = (id: string) => observations.get(id)?.kind === 'line';
  const before = quotesOf(lines, ids, stood, (id) => (isLine(id) && !newLines.has(id)) || goneLines.has(id));
  const after = quotesOf(lines, ids, stands, isLine);
  const out: ExtentMove[] = [];
  for (const id of ids) {
    const was = before.get(id) ?? '';
    const now = after.get(id) ?? '';
    if (was !== now) out.push({ id, was, now });
  }
  return out;
}

/**
 * What each of `ids` quotes over `lines` (in reading order), reading only the items `visible` says
 * stood, joined as the review joins an observation's parts (observationQuotes.ts): a span's run on,
 * a tagged line's on a new line; trimmed.
 */
function quotesOf(lines: readonly Y.XmlElement[], ids: ReadonlySet<string>, visible: (item: Y.Item) => boolean, isLine: (id: string) => boolean): Map<string, string> {
  const quotes = new Map<string, string>();
  for (const line of lines) {
    const pieces = piecesOf(line, visible);
    // Where each observation's pieces start and end, found in one pass: read from the whole line for
    // each, 2,000 one-word spans in a paragraph cost 290 ms an update typed there (attack, 6 Dec).
    const places = new Map<string, { first: number; last: number }>();
    pieces.forEach((p, i) => {
      for (const id of p.kind === 'run' ? p.observationIds : []) {
        const place = ids.has(id) ? places.get(id) : undefined;
        if (place) place.last = i;
        else if (ids.has(id)) places.set(id, { first: i, last: i });
      }
    });
    for (const [id, place] of places) {
      const words = extentQuote(pieces, id, isLine, place);
      const before = quotes.get(id);
      quotes.set(id, before === undefined ? words : `${before}${isLine(id) ? '\n' : ''}${words}`);
    }
  }
  for (const [id, quote] of quotes) quotes.set(id, quote.trim());
  return quotes;
}

/**
 * What an observation quotes among a line's pieces, as the review reads it (observationQuotes.ts):
 * a tagged line's words after its marker (lineWords.ts), trimmed; a span's marked words with the
 * mentions beside them (spanWords.ts), as they stand (its parts run on across lines).
 */
function extentQuote(pieces: readonly Piece[], id: string, isLine: (id: string) => boolean, place: { first: number; last: number }): string {
  const text = (p: Piece) => (p.kind === 'run' ? p.text : '\n');
  if (isLine(id)) {
    const range = lineWordPieces(pieces, id, isLine, place.first);
    return range ? pieces.slice(range.from, range.to).map(text).join('').trim() : '';
  }
  // Only its marked pieces and the mentions and spaces beside them can be in its quote (spanQuoted).
  let from = place.first;
  let to = place.last + 1;
  while (from > 0 && spanKind(pieces[from - 1]!, id) !== 'other') from--;
  while (to < pieces.length && spanKind(pieces[to]!, id) !== 'other') to++;
  const kinds: SpanPiece[] = [];
  for (let i = from; i < to; i++) kinds.push(spanKind(pieces[i]!, id));
  return spanQuoted(kinds).map((i) => text(pieces[from + i]!)).join('');
}

/** A piece as span observation `id` reads it (spanWords.ts). */
function spanKind(p: Piece, id: string): SpanPiece {
  if (p.kind !== 'run') return 'other';
  if (p.mention) return 'mention';
  return p.observationIds.includes(id) ? 'marked' : p.text.trim() === '' ? 'space' : 'other';
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

/** The keys of `map` a transaction wrote (Yjs types its `changed` by a base type a map's events do not fit). */
const keysWritten = (tr: Y.Transaction, map: object): Set<string | null> | undefined =>
  (tr.changed as Map<unknown, Set<string | null>>).get(map);

/** The kind of the record a transaction deleted under `id`: its map entry's last value, still held until the transaction ends. */
function removedKind(map: { _map: Map<string, Y.Item> }, id: string): unknown {
  const item = map._map.get(id);
  const value: unknown = item?.deleted === true ? item.content.getContent()[0] : undefined;
  return typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
}

/** Whether the note holds an observation of someone other than `sender` (read on every update: no copy of the map). */
function othersObservation(observations: { values(): Iterable<{ authorId: string }> }, sender: string): boolean {
  for (const o of observations.values()) if (o.authorId !== sender) return true;
  return false;
}
