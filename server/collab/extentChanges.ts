import type { ExtentChange } from '../../shared/note/extentChanges';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { AfterApply } from './writeGate';

/**
 * After an update is applied: each observation of another's whose quoted words it changed
 * (facts.extents, observationExtents.ts) is kept under `extents` in the sender's name with the
 * server's time, and with what it quoted before the first such change (shared/note/extentChanges.ts).
 * The author's own changes of her observation record nothing; anyone's change that makes it quote
 * what it did before the first recorded one takes the record off (a join undone, the words put back).
 */
export const keepExtentChanges: AfterApply = ({ conn, note, facts }) => {
  if (facts.extents.length === 0) return;
  const by = conn.principal.accountId;
  const { observations, extents } = sessionDoc(note.doc);
  const at = Date.now();
  const writes: [string, ExtentChange | null][] = [];
  for (const { id, was, now } of facts.extents) {
    const author = observations.get(id)?.authorId;
    const kept = extents.get(id);
    const tagged = kept?.was ?? was;
    if (now === tagged) {
      if (kept) writes.push([id, null]);
    } else if (author !== undefined && author !== by) writes.push([id, { by, at, was: tagged }]);
  }
  if (writes.length === 0) return;
  note.transactLocal(() => {
    for (const [id, e] of writes) {
      if (e) extents.set(id, e);
      else extents.delete(id);
    }
  });
};
