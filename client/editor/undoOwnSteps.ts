import { Extension } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

/**
 * Ends this person's undo (and redo) history at a step another's edit has since overwritten: a
 * step that deleted words (a line split, a join, a replacement) and whose new content the
 * co-therapist has deleted since. Yjs's undo of such a step deletes what it wrote (already gone)
 * and brings back what it deleted, while the co-therapist's version of the same words stays: A
 * splits a line, B joins it back (a copy of both halves), A presses Ctrl+Z, and the rest of the
 * line stood twice (clinician walk, 1 Dec). The steps before it go too: forgetting only that one,
 * the same Ctrl+Z undid an older step instead, a line of hers elsewhere, maybe out of view (second
 * walk). Steps that only wrote stay undoable. `tr`: a transaction the note just ran; only others'
 * (remote) ones count.
 */
export function forgetOverwrittenSteps(undoManager: Y.UndoManager, tr: Y.Transaction): void {
  if (tr.local || tr.deleteSet.clients.size === 0) return;
  for (const stack of [undoManager.undoStack, undoManager.redoStack]) {
    // The newest step overwritten, and every step older than it (earlier in the stack).
    for (let i = stack.length - 1; i >= 0; i--) {
      const step = stack[i]!;
      if (step.deletions.clients.size > 0 && overlaps(tr.deleteSet, step.insertions)) {
        stack.splice(0, i + 1);
        break;
      }
    }
  }
}

type DeleteSet = Y.Transaction['deleteSet'];

/** Whether two delete sets name a common item. */
function overlaps(a: DeleteSet, b: DeleteSet): boolean {
  for (const [client, ranges] of a.clients) {
    const other = b.clients.get(client);
    if (other && ranges.some((r) => other.some((o) => r.clock < o.clock + o.len && o.clock < r.clock + r.len))) return true;
  }
  return false;
}

/** The editor extension: watches the note's transactions for the undo manager Collaboration made (see forgetOverwrittenSteps). */
export const UndoOwnSteps = Extension.create({
  name: 'undoOwnSteps',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        view: (view) => {
          const undoManager = (yUndoPluginKey.getState(view.state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;
          if (!undoManager) return {};
          const watch = (tr: Y.Transaction) => forgetOverwrittenSteps(undoManager, tr);
          undoManager.doc.on('afterTransaction', watch);
          return { destroy: () => undoManager.doc.off('afterTransaction', watch) };
        },
      }),
    ];
  },
});
