/**
 * Edits the note as the editor does: a ProseMirror transaction on the note as the editor reads it,
 * written into Yjs by the sync binding's own diff (y-tiptap's updateYFragment), so a line split,
 * a join or a change of block kind reaches the server as the editor's bytes, not a hand-made
 * imitation of them.
 */
import { wrapIn } from '@tiptap/pm/commands';
import type { Node as PmNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { initProseMirrorDoc, updateYFragment, ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { schema } from './clientAnchor';

export { schema };

/** Applies `edit` (a transaction on the editor's state of the note) to `doc` as the binding writes it. */
export function editAsEditor(doc: Y.Doc, edit: (state: EditorState) => Transaction): void {
  const type = doc.getXmlFragment(NOTE_FIELD);
  const { doc: pm, meta } = initProseMirrorDoc(type, schema);
  const tr = edit(EditorState.create({ schema, doc: pm }));
  doc.transact(() => updateYFragment(doc, type, tr.doc, meta), ySyncPluginKey);
}

/** The ProseMirror position right before `words` (the first text node holding them). */
export function positionOf(pm: PmNode, words: string): number {
  let found = -1;
  pm.descendants((node, pos) => {
    if (found >= 0) return false;
    const at = node.isText ? node.text!.indexOf(words) : -1;
    if (at >= 0) found = pos + at;
    return true;
  });
  if (found < 0) throw new Error(`"${words}" is not in the note`);
  return found;
}

/** Types `words` right after `after`, as the editor writes typing. */
export function typeAfter(doc: Y.Doc, after: string, words: string): void {
  editAsEditor(doc, (s) => s.tr.insertText(words, positionOf(s.doc, after) + after.length));
}

/**
 * A ProseMirror command (setBlockType, wrapIn, wrapInList, liftListItem…) run with the caret
 * before `words`, as an edit for editAsEditor: what pressing its button there writes. The command
 * must apply.
 */
export function commandAt(words: string, run: (state: EditorState, dispatch: (tr: Transaction) => void) => boolean): (state: EditorState) => Transaction {
  return (s) => {
    const at = s.apply(s.tr.setSelection(TextSelection.create(s.doc, positionOf(s.doc, words))));
    let out: Transaction | null = null;
    run(at, (tr) => (out = tr));
    if (!out) throw new Error(`the command does not apply before "${words}"`);
    // The command's steps, replayed on the state the edit started from.
    const tr = s.tr;
    for (const step of (out as Transaction).steps) tr.step(step);
    return tr;
  };
}

/** Makes the line holding `words` a quote, as the editor's quote button writes it. */
export function quoteLine(doc: Y.Doc, words: string): void {
  editAsEditor(doc, commandAt(words, wrapIn(schema.nodes.blockquote!)));
}

/** Deletes the whole line holding `words` (selected and removed). */
export function deleteLine(doc: Y.Doc, words: string): void {
  editAsEditor(doc, (s) => {
    const $at = s.doc.resolve(positionOf(s.doc, words));
    return s.tr.delete($at.before($at.depth), $at.after($at.depth));
  });
}
