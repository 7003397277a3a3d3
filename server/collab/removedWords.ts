import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';
import { forEachDeletedItem } from './deletedItems';
import { formatKeysOf } from './formatKeys';
import { observationId } from './markCoverage';
import { MAX_STEPS } from './wordMarks';
import type { RemovedRun } from './updateFacts';

/**
 * The words under each observation that an update deletes: the note's visible characters in the
 * update's delete set, grouped by the observation in force where each stands (the nearest opening
 * or closing of `mark` to its left, before the update), with their ids. What the observation guard
 * keeps, so that the same words written again under it (an undo of the deletion) are known as its own.
 */
export function removedWords(doc: Y.Doc, ds: DeleteSet, mark: string): Map<string, RemovedRun[]> {
  const removed = new Map<string, RemovedRun[]>();
  // The observation in force just right of each item walked past: a long deletion walks each run once.
  const inForceAfter = new Map<Y.Item, string | null>();
  const inForce = (item: Y.Item): string | null => {
    if (!(item.parent instanceof Y.AbstractType) || !formatKeysOf(item.parent).has(mark)) return null;
    const walked: Y.Item[] = [];
    let found: string | null = null;
    // Past the bound (wordMarks.ts) no observation is known there: the words are not kept for an
    // undo under one, which the observation guard then refuses as a move.
    for (let left = item.left; left && walked.length < MAX_STEPS; left = left.left) {
      const known = inForceAfter.get(left);
      if (known !== undefined) {
        found = known;
        break;
      }
      if (!left.deleted && left.content instanceof Y.ContentFormat && left.content.key === mark) {
        found = observationId(left.content.value);
        break;
      }
      walked.push(left);
    }
    for (const w of walked) inForceAfter.set(w, found);
    return found;
  };
  forEachDeletedItem(doc, ds.clients, (s, from, to) => {
    if (!(s.content instanceof Y.ContentString)) return;
    const id = inForce(s);
    if (id === null) return;
    removed.set(id, [...(removed.get(id) ?? []), { client: s.id.client, clock: from, text: s.content.str.slice(from - s.id.clock, to - s.id.clock) }]);
  });
  return removed;
}

/**
 * The removed characters among `runs`, in the order they stood in the note (one line per stretch),
 * whatever order they were deleted in (a word taken away by backspace goes last letter first). A
 * deleted item stays in its place in the text with its id, though Yjs drops its content. `deleting`:
 * runs the update being judged deletes, still visible, read with them; a remembered run whose
 * characters are still visible (its update refused after it was kept) is not read.
 */
export function inNoteOrder(fragment: Y.XmlFragment, runs: readonly RemovedRun[], deleting: readonly RemovedRun[] = []): string {
  const byClient = new Map<number, { run: RemovedRun; pending: boolean }[]>();
  const add = (run: RemovedRun, pending: boolean) => byClient.set(run.client, [...(byClient.get(run.client) ?? []), { run, pending }]);
  for (const run of runs) add(run, false);
  for (const run of deleting) add(run, true);
  const lines: string[] = [];
  let line = '';
  const endLine = () => {
    if (line !== '') lines.push(line);
    line = '';
  };
  const walk = (type: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (!(type instanceof Y.XmlText)) {
      for (const child of type.toArray()) if (!(child instanceof Y.XmlHook)) walk(child);
      return;
    }
    for (let item = type._start; item; item = item.right) {
      const end = item.id.clock + item.length;
      // Only the runs within this item: a long note's other runs of the same client are skipped whole.
      const own = item.countable ? byClient.get(item.id.client)?.filter(({ run }) => run.clock < end && run.clock + run.text.length > item.id.clock) : undefined;
      if (!own?.length) {
        // Visible content ends a stretch; other deleted content (a mark's ends, others' words) does not show.
        if (!item.deleted) endLine();
        continue;
      }
      for (let clock = item.id.clock; clock < end; clock++) {
        const found = own.find(({ run, pending }) => clock >= run.clock && clock < run.clock + run.text.length && pending !== item.deleted);
        if (found) line += found.run.text[clock - found.run.clock];
        else if (!item.deleted) endLine();
      }
    }
    endLine();
  };
  walk(fragment);
  return lines.join('\n');
}
