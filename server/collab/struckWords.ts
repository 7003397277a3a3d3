import * as Y from 'yjs';
import type { CarriedWords } from '../../shared/note/carriedWords';
import type { StruckWords } from '../../shared/note/struckWords';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { freshText, type FreshText, type Restored } from './freshText';
import { carriedAuthors, carriedEnds, lateEntriesOver, struckBySender, struckPlaces } from './recordIndexes';
import type { DeletedRun } from './updateFacts';
import type { AfterApply } from './writeGate';
import { copyLooks, joinLooks, looksIndex, sameLooks, sliceLooks } from './wordMarks';
import { blockChanges } from './blockChanges';
import { followMoves, type MovedChars } from './movedLabels';
import { inReadingOrder, type DeletedPiece } from './deletedPieces';
import type { CharId } from './readingOrder';
import { kindsWrittenAgain, writtenAgainByWriter } from './unseenWords';
import { formattedKey } from '../../shared/note/formattedWords';

/*
 * Another's words a therapist deletes stay in the record, struck through (shared/note/struckWords.ts).
 * Deleting is editing, and each therapist may correct the other's words; but B deleting "not " from
 * A's "Client is not at risk." left "Client is at risk." credited wholly to A in the review and
 * the export, with no trace of B's hand (attack5, 1 Dec).
 */

/**
 * After an update is applied: another's words it deleted are kept under `struck`, by who deleted
 * them and when (the server's clock), unless the same update wrote them again right where they
 * read (after the same character: a line split or joined), or they are words the sender struck
 * before and now writes again in their place (an undo): then the new characters carry them, under
 * `carried`, and nothing is struck. The template's words (no account) leave no trace, nor do the
 * sender's own, but for one case: after the session ended, the sender's words written during it
 * are struck as another's are, so a correction made afterwards shows what the record said in
 * session (walk, 4 Dec: "All four present." replaced after the end left no trace of itself).
 */
export const keepStruckWords: AfterApply = ({ conn, note, facts }) => {
  const by = conn.principal.accountId;
  const { struck, carried, formatted, lateEntries } = sessionDoc(note.doc);
  // After the end, moved words keep whether they were late (labelLateEntries labels only the rest).
  const afterEnd = note.session.status === 'ended' && note.session.endedAt !== null;
  const lateOver = afterEnd ? lateEntriesOver(lateEntries) : null;
  /** Whether a piece of the sender's own words is one written in session (its first character is no late entry). */
  const inSession = (client: number, clock: number) => lateOver !== null && lateOver(client, clock, clock + 1).length === 0;
  const authorship = carriedAuthors(carried);
  const senders = struckBySender(struck);
  const mineStruck = senders.of(by);
  const fresh = freshText(note.doc, facts.inserted, (client) => note.clientAccounts.get(client) === by);
  const { looks, blocks: blocksWere } = looksIndex(facts.deletedLooks);
  // A copy carries words only if it looks as they did: written again struck through (or with a
  // strike taken off), it is the sender's change, not a move (attack7, 1 Dec).
  const looksSame = (copy: { client: number; clock: number; len: number }[], was: StruckWords['looks'] | null) => sameLooks(was, copyLooks(note.doc, copy));
  const carry: CarriedWords[] = [];
  const entries: StruckWords[] = [];
  const at = Date.now();
  const restored: Restored[] = [];
  const deleted: DeletedPiece[] = [];
  const moves: MovedChars[] = [];
  for (const { earlier, after, mention, inHeading, unseen = 0, ...run } of facts.deletedText) {
    if (earlier > 0) {
      // Words I struck before inside what this update deletes, written again in a line it moves: an undo of several steps.
      for (const [key, e] of mineStruck.within(run.client, run.clock, run.clock + earlier)) {
        const last = { client: e.client, clock: e.clock + e.text.length - 1 };
        deleted.push({ run, clock: e.clock, len: e.text.length, text: e.text, author: undefined, before: after, lasts: [last, after], mention: false, restore: [key, e] });
      }
      continue;
    }
    // A run may hold words moved before: each piece is its writer's. A mention is one element.
    const pieces = mention ? [{ clock: run.clock, len: 1, author: undefined }] : authorship(run.client, run.clock, run.text.length);
    let before = after;
    for (const piece of pieces) {
      const text = mention ? run.text : run.text.slice(piece.clock - run.clock, piece.clock - run.clock + piece.len);
      // Words no account wrote are the server's: a template's section titles (no trace), or a member
      // note's words derived from the group note (kept, as the server's: attack6).
      const author = piece.author !== undefined ? piece.author : (note.clientAccounts.get(run.client) ?? (inHeading ? undefined : null));
      const last = { client: run.client, clock: piece.clock + piece.len - 1 };
      const unseenHere = Math.min(piece.len, Math.max(0, piece.clock + piece.len - (run.clock + run.text.length - unseen)));
      deleted.push({ run, clock: piece.clock, len: piece.len, text, author, before, lasts: [last], mention: mention === true, ...(unseenHere > 0 ? { unseen: unseenHere } : {}) });
      before = last;
    }
  }
  // Every piece is followed, the sender's own too: a joined line of both therapists' words is one
  // move. A piece reads on after the copy of the piece before it, so they are taken in that order.
  // Where the copy of each piece ends, by the piece's last character: words the sender never saw read on after it (unseenWords.ts).
  const copyEnds = new Map<string, CharId>();
  for (const whole of inReadingOrder(deleted)) {
    const { p, copy, tail } = seenPart(whole, fresh);
    const end = copy?.at(-1);
    if (end) copyEnds.set(idKey(whole.lasts[0]!), { client: end.client, clock: end.clock + end.len - 1 });
    if (p.restore) {
      const [key, e] = p.restore;
      if (copy && looksSame(copy, e.looks)) restored.push({ key, copy, author: e.author, at: 0, len: e.text.length });
      continue;
    }
    const author = p.author;
    const others = author !== undefined && (author !== by || (author !== null && inSession(p.run.client, p.clock)));
    // The template's words (a section title) moved by a split stay the template's, not the mover's (walk D3).
    const template = author === undefined;
    // Moves of anyone's words, one's own too: labels of formatting another changed go with them.
    if (!others && (copy === null || (formatted.size === 0 && !afterEnd && !template))) continue;
    const was = looks(p.run.client, p.clock, p.len);
    const asItWas = copy !== null && looksSame(copy, was);
    const kinds = blocksWere(p.run.client, p.clock);
    if (asItWas) {
      moves.push({ from: { client: p.run.client, clock: p.clock, len: p.len }, to: copy });
      // Carried into a block of another kind (a quote, a heading): the mover's change, recorded as
      // formatting (keepFormatting: of another's words, or of one's own that carry another's label).
      if (kinds) facts.formatted.push(...blockChanges(note.doc, kinds, copy, p.text));
    }
    if (template && asItWas) carry.push(...copy.map((r) => ({ ...r, author: null })));
    if (!others) continue;
    // Words the sender never saw, where the writer's page writes them again if it does: after her copy of what she saw (unseenWords.ts).
    const unseenAfter = (after: CharId | undefined) => (after ? { unseenAfter: after } : {});
    const allUnseen = tail === null && whole.unseen !== undefined && whole.unseen >= whole.len;
    if (asItWas) carry.push(...copy.map((r) => ({ ...r, author })));
    else entries.push({ by, at, author, ...p.run, clock: p.clock, text: p.text, ...(was ? { looks: was } : {}), ...(kinds ? { blocks: kinds } : {}), ...(allUnseen ? unseenAfter(copyEnds.get(idKey(whole.before))) : {}) });
    if (tail) entries.push({ by, at, author, ...p.run, clock: tail.clock, text: tail.text, ...(kinds ? { blocks: kinds } : {}), ...unseenAfter(copyEnds.get(idKey(whole.lasts[0]!))) });
  }
  const struckIn = (line: Y.ID) => struckPlaces(struck).within(line.client, line.clock, line.clock + 1).filter(([, e]) => e.by === by);
  // Only a sender with struck words can undo a deletion (a paste of 25,000 lines read each line's start for one: paste bench, 5 Dec).
  if (senders.has(by)) restored.push(...fresh.undone(mineStruck, struckIn).filter((r) => !restored.some((x) => x.key === r.key) && looksSame(r.copy, partOf(struck.get(r.key), r.at, r.at + r.len)?.looks)));
  const moved = movedIntoBlocks(struck, facts.deletedText).filter(([key]) => !restored.some((r) => r.key === key));
  for (const { key, copy, at: from, len } of restored) {
    const e = partOf(struck.get(key), from, from + len);
    if (!e) continue;
    moves.push({ from: { client: e.client, clock: e.clock, len }, to: copy });
    // Written again (an undo) into a block of another kind: that is the sender's change (attack9 F1).
    if (e.blocks) facts.formatted.push(...blockChanges(note.doc, e.blocks, copy, e.text));
  }
  facts.moved = moves.flatMap((m) => m.to);
  const rewritten = facts.inserted.length > 0 ? writtenAgainByWriter(struck, by, fresh) : [];
  if (entries.length === 0 && moved.length === 0 && carry.length === 0 && restored.length === 0 && moves.length === 0 && rewritten.length === 0) return;
  note.transactLocal(() => {
    for (const { key } of rewritten) struck.delete(key);
    for (const e of kindsWrittenAgain(note.doc, rewritten)) formatted.set(formattedKey(e), e);
    for (const [key, e] of moved) struck.set(key, e);
    for (const { key, copy, author, at: from, len } of restored) {
      const e = struck.get(key);
      struck.delete(key);
      carry.push(...copy.map((r) => ({ ...r, author })));
      // What the undo did not bring back stays struck.
      const before = partOf(e, 0, from);
      const after = partOf(e, from + len, e?.text.length ?? 0);
      if (before) struck.set(key, before);
      if (after) struck.set(`${after.client}:${after.clock}`, after);
    }
    for (const c of coalesced(carry, carried)) carried.set(`${c.client}:${c.clock}`, c);
    followMoves(formatted, lateEntries, moves);
    for (const e of entries) {
      // Backspace deletes a word letter by letter, last first: one entry for it, not one per letter.
      const nextKey = `${e.client}:${e.clock + e.text.length}`;
      const next = e.block === null ? struck.get(nextKey) : undefined;
      // Only words that stood next to each other: clocks say nothing of order (a copy can be written in any).
      if (next && next.block === null && next.by === by && readNext(note.doc, e.client, e.clock + e.text.length - 1)) {
        const joined = joinLooks(e.looks, e.text.length, next.looks);
        if (joined) e.looks = joined;
        else delete e.looks;
        e.text += next.text;
        struck.delete(nextKey);
      }
      struck.set(`${e.client}:${e.clock}`, e);
    }
  });
};

/**
 * A deleted piece and the copy the update wrote of it, found whole or, when its last characters
 * are ones the sender never saw (typed into the line after the sender read it: DeletedRun.unseen),
 * for what the sender saw: then `p` is that part and `tail` the rest, which no copy holds. A line
 * quoted while its writer typed on had its copy credited to the quoter and all of it struck
 * (walk D1, 1 Dec).
 */
function seenPart(p: DeletedPiece, fresh: FreshText): { p: DeletedPiece; copy: ReturnType<FreshText['take']>; tail: { clock: number; text: string } | null } {
  if (p.mention) return { p, copy: null, tail: null };
  const copy = fresh.take(p.before, p.text, p.lasts);
  if (copy || !p.unseen || p.unseen >= p.len) return { p, copy, tail: null };
  const len = p.len - p.unseen;
  const seen = fresh.take(p.before, p.text.slice(0, len), p.lasts);
  if (!seen) return { p, copy: null, tail: null };
  return { p: { ...p, len, text: p.text.slice(0, len) }, copy: seen, tail: { clock: p.clock + len, text: p.text.slice(len) } };
}

/**
 * Words struck earlier inside an element this update deletes: Yjs keeps no trace of where they
 * stood once the element goes, so they move into it, in their place among its words (else B
 * deleting "not " from A's "Client is not at risk." and then the paragraph would show A's deleted
 * paragraph as "Client is at risk.").
 */
function movedIntoBlocks(struck: Y.Map<StruckWords>, runs: DeletedRun[]): [string, StruckWords][] {
  const places = runs.filter((r) => r.earlier > 0 && r.block !== null);
  if (places.length === 0 || struck.size === 0) return [];
  const byPlace = struckPlaces(struck);
  const moved: [string, StruckWords][] = [];
  for (const p of places) {
    for (const [key, e] of byPlace.within(p.client, p.clock, p.clock + p.earlier)) moved.push([key, { ...e, block: p.block, line: p.line, seq: p.seq }]);
  }
  return moved;
}

/** The entry's characters [from, to) as an entry of their own (undefined when none). */
function partOf(e: StruckWords | undefined, from: number, to: number): StruckWords | undefined {
  if (!e || to <= from) return undefined;
  if (from === 0 && to === e.text.length) return e;
  const { looks, ...rest } = e;
  return { ...rest, clock: e.clock + from, text: e.text.slice(from, to), ...(looks ? { looks: sliceLooks(looks, from, to) } : {}) };
}

/** Whether the character after `clock` of `client` in its text node is the one with the next clock. */
function readNext(doc: Y.Doc, client: number, clock: number): boolean {
  const item = Y.getItem(doc.store, Y.createID(client, clock));
  if (!(item instanceof Y.Item)) return false;
  if (item.id.clock + item.length - 1 > clock) return true;
  let right = item.right;
  while (right && right.content instanceof Y.ContentFormat) right = right.right;
  return right !== null && right.id.client === client && right.id.clock === clock + 1;
}

/**
 * New carried ranges joined with each other and with the note's where their clocks continue one
 * another under one author (authorship is per character, whatever order they read in): a line
 * rewritten one character at a time made one entry per character, 106,674 for a long note, and
 * every review then took 1.7 s (attack, 1 Dec). Ranges it extends are deleted from `carried`.
 */
function coalesced(carry: CarriedWords[], carried: Y.Map<CarriedWords>): CarriedWords[] {
  const sorted = [...carry].sort((a, b) => a.client - b.client || a.clock - b.clock);
  const out: CarriedWords[] = [];
  for (const c of sorted) {
    const last = out.at(-1);
    if (last && last.client === c.client && last.author === c.author && last.clock + last.len === c.clock) last.len += c.len;
    else out.push({ ...c });
  }
  const ends = carriedEnds(carried);
  return out.map((c) => {
    const next = carried.get(`${c.client}:${c.clock + c.len}`);
    if (next && next.author === c.author) {
      carried.delete(`${c.client}:${c.clock + c.len}`);
      c.len += next.len;
    }
    const beforeKey = ends.at(c.client, c.clock);
    const before = beforeKey === undefined ? undefined : carried.get(beforeKey);
    if (beforeKey !== undefined && before && before.author === c.author) {
      carried.delete(beforeKey);
      return { ...before, len: before.len + c.len };
    }
    return c;
  });
}

const idKey = (c: CharId | null) => (c === null ? 'start' : `${c.client}:${c.clock}`);
