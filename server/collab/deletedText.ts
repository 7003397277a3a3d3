import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';
import { childProblem } from '../../shared/note/noteSchema';
import { MENTION_NODE } from '../../shared/ydoc/sessionDoc';
import { mentionText } from '../../shared/note/mention';
import { forEachDeletedItem, type ClockRanges } from './deletedItems';
import { charBefore, type CharId } from './readingOrder';
import type { DeletedRun } from './updateFacts';

/*
 * What an update deletes of the note's text, for keeping another's words struck through
 * (struckWords.ts). On the judging side of the gate, like removedWords.ts: it reads the note
 * before the update is applied.
 */

/**
 * The note's visible characters `ds` deletes, judged by what applying it would do: characters whose
 * own ids it names, and every character inside an element it deletes (Yjs deletes an element's
 * content with it, whether or not the update names each character). Inside a deleted element they
 * are read in note order under its id, since Yjs then keeps no trace of where they stood.
 */
export function deletedText(doc: Y.Doc, ds: DeleteSet): DeletedRun[] {
  const merged = mergedRanges(ds);
  const outermostDeleted = (item: Y.Item): Y.Item | null => {
    let found: Y.Item | null = null;
    for (let above = (item.parent as Y.AbstractType<unknown>)._item; above; above = (above.parent as Y.AbstractType<unknown>)._item) {
      if (contains(merged, above.id)) found = above;
    }
    return found;
  };
  const runs: DeletedRun[] = [];
  forEachDeletedItem(doc, merged, (s, from, to) => {
    if (outermostDeleted(s) !== null) return;
    if (s.content instanceof Y.ContentString) {
      const inHeading = ((s.parent as Y.AbstractType<unknown>)._item?.parent as Y.AbstractType<unknown> | null) instanceof Y.XmlElement && ((s.parent as Y.XmlText)._item!.parent as Y.XmlElement).nodeName === 'heading';
      const after = charBefore(s, from - s.id.clock);
      // Words deleted before, right before these (an undo can write them again with these).
      if (from === s.id.clock) runs.push(...tombstonesBefore(s).map((t) => ({ client: t.id.client, clock: t.id.clock, text: '', block: null, line: 0, seq: 0, earlier: t.length, after })));
      runs.push({ client: s.id.client, clock: from, text: s.content.str.slice(from - s.id.clock, to - s.id.clock), block: null, line: 0, seq: 0, earlier: 0, after, ...(inHeading ? { inHeading: true as const } : {}) });
    } else if (s.content instanceof Y.ContentType && s.parentSub === null) {
      runs.push(...blockText(s, s.content.type).map((r) => withUnseen(r, merged)));
    }
  });
  return runs;
}

/** The run, with how many of its last characters `named` does not name (DeletedRun.unseen). */
function withUnseen(run: DeletedRun, named: ClockRanges): DeletedRun {
  if (run.earlier > 0 || run.mention || run.text === '') return run;
  let unseen = 0;
  while (unseen < run.text.length && !contains(named, Y.createID(run.client, run.clock + run.text.length - 1 - unseen))) unseen++;
  return unseen > 0 ? { ...run, unseen } : run;
}

/**
 * The visible text inside a deleted element, in note order, by runs of one writer per line (a
 * paragraph, a heading, …); a member mention reads as "@label", written by whoever wrote the
 * mention. What was deleted inside it before (characters, elements) is marked by `earlier`: words
 * struck there move into this element, in their place.
 */
function blockText(block: Y.Item, type: Y.AbstractType<unknown>): DeletedRun[] {
  const runs: DeletedRun[] = [];
  const at = { client: block.id.client, clock: block.id.clock };
  let line = 0;
  let inHeading = type instanceof Y.XmlElement && type.nodeName === 'heading';
  // The visible character before what is read next, in reading order (one walk for the whole block).
  let lastSeen: CharId | null = charBefore(block, 0);
  const earlier = (item: Y.Item) => runs.push({ client: item.id.client, clock: item.id.clock, text: '', block: at, line, seq: runs.length, earlier: item.length, after: lastSeen });
  const readText = (text: Y.XmlText) => {
    for (let item = text._start; item; item = item.right) {
      // Its content a placeholder once Yjs dropped it; a deleted mark's end is no place of words, but harmless.
      if (item.deleted) earlier(item);
      if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
      const last = runs.at(-1);
      if (last && last.earlier === 0 && last.line === line && last.client === item.id.client && last.clock + last.text.length === item.id.clock) last.text += item.content.str;
      else runs.push({ client: item.id.client, clock: item.id.clock, text: item.content.str, block: at, line, seq: runs.length, earlier: 0, after: lastSeen, ...(inHeading ? { inHeading: true as const } : {}) });
      lastSeen = { client: item.id.client, clock: item.id.clock + item.length - 1 };
    }
  };
  const walk = (parent: Y.AbstractType<unknown>) => {
    if (parent instanceof Y.XmlText) return readText(parent);
    if (parent instanceof Y.XmlElement && parent.nodeName === MENTION_NODE) {
      const { id } = parent._item!;
      runs.push({ client: id.client, clock: id.clock, text: mentionText(parent.getAttributes()), block: at, line, seq: runs.length, earlier: 0, after: null, mention: true });
      lastSeen = { client: id.client, clock: id.clock };
      return;
    }
    const outer = inHeading;
    if (parent instanceof Y.XmlElement && parent.nodeName === 'heading') inHeading = true;
    for (let item = parent._start; item; item = item.right) {
      if (item.deleted) earlier(item);
      else if (item.content instanceof Y.ContentType) walk(item.content.type);
    }
    inHeading = outer;
    // One line per element that holds text (a paragraph, a heading); lists and quotes hold those.
    if (parent instanceof Y.XmlElement && childProblem(parent.nodeName, '#text') === null) line++;
  };
  walk(type);
  return runs;
}

/** The deleted items right before `item` in its text node, in reading order (at most 32). */
function tombstonesBefore(item: Y.Item): Y.Item[] {
  const out: Y.Item[] = [];
  for (let left = item.left; left && left.deleted && out.length < 32; left = left.left) if (!(left.content instanceof Y.ContentFormat)) out.unshift(left);
  return out;
}

/** `ds`'s ranges per client, sorted and merged: a crafted update's may come in any order, or overlap. */
function mergedRanges(ds: DeleteSet): ClockRanges {
  const merged: ClockRanges = new Map();
  for (const [client, ranges] of ds.clients) {
    const out: { clock: number; len: number }[] = [];
    for (const r of [...ranges].sort((a, b) => a.clock - b.clock)) {
      const last = out.at(-1);
      if (last && r.clock <= last.clock + last.len) last.len = Math.max(last.len, r.clock + r.len - last.clock);
      else out.push({ clock: r.clock, len: r.len });
    }
    merged.set(client, out);
  }
  return merged;
}

function contains(ranges: ClockRanges, { client, clock }: Y.ID): boolean {
  const list = ranges.get(client);
  if (!list) return false;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.clock <= clock) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && clock < list[hi]!.clock + list[hi]!.len;
}
