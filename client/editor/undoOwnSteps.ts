import { Extension } from '@tiptap/core';
import { Plugin, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
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

/**
 * After the co-therapist's change comes in, tells the sync plugin that what follows may be
 * undone together again. y-tiptap keeps the last document change's `addToHistory` (false for a
 * change from Yjs) until the next document change, and ends the undo step at every update of the
 * editor while it is false and the update is not from Yjs: her caret moving, a decoration redrawn.
 * So while she typed anywhere in the note, each letter I deleted was its own undo step: Ctrl+Z
 * brought a word back letter by letter, each letter a new one of mine beside hers struck in the
 * record (walk, 2 Dec). Not after a change of this editor's own that asked to stay out of history.
 */
function afterRemote(transactions: readonly Transaction[], state: EditorState): Transaction | null {
  const last = [...transactions].reverse().find((tr) => tr.docChanged);
  const change = last?.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return change?.isChangeOrigin ? state.tr.setMeta(ySyncPluginKey, { addToHistory: true }) : null;
}

/**
 * After a redo, puts the caret at the end of what it brought back, as ProseMirror's own history
 * does. y-tiptap restores the selection the page had before the last change ahead of the undo,
 * anchored to items the undo deleted: after a redo of new lines the caret stood in the last
 * paragraph or in a heading, and the next words went there (walk, 4 Dec). The redo's change is
 * the difference between the two documents (y-tiptap replaces the whole document, keeping the
 * nodes that did not change, so the comparison stops at them).
 */
function caretAfterRedo(undoManager: Y.UndoManager, transactions: readonly Transaction[], before: EditorState, state: EditorState): Transaction | null {
  // The redo dispatches its change while it runs (Yjs observers run inside the transaction).
  if (!undoManager.redoing) return null;
  const redone = transactions.some((tr) => (tr.getMeta(ySyncPluginKey) as { isUndoRedoOperation?: boolean } | undefined)?.isUndoRedoOperation);
  if (!redone) return null;
  const start = before.doc.content.findDiffStart(state.doc.content);
  const end = before.doc.content.findDiffEnd(state.doc.content);
  if (start === null || !end) return null;
  const caret = TextSelection.near(state.doc.resolve(Math.max(start, end.b)), -1);
  return state.tr.setSelection(caret).scrollIntoView();
}

/**
 * The editor extension: watches the note's transactions for the undo manager Collaboration made
 * (see forgetOverwrittenSteps), keeps a co-therapist's change from cutting this person's undo
 * steps (afterRemote), and puts the caret after what a redo brought back (caretAfterRedo).
 */
export const UndoOwnSteps = Extension.create({
  name: 'undoOwnSteps',
  addProseMirrorPlugins() {
    return [
      new Plugin({ appendTransaction: (transactions, _before, state) => afterRemote(transactions, state) }),
      new Plugin({
        appendTransaction: (transactions, before, state) => {
          const undoManager = (yUndoPluginKey.getState(state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;
          return undoManager ? caretAfterRedo(undoManager, transactions, before, state) : null;
        },
      }),
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
