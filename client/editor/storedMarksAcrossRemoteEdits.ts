/**
 * The formatting a person chose for the next letter (bold or italic switched on or off at the
 * caret: ProseMirror's stored marks) outlives the co-therapist's edits. The Yjs binding writes her
 * change into the page as a change of the whole document, and ProseMirror forgets the stored marks
 * with any change of the document, as if the person had moved: bold switched off came back on the
 * next letter, typed as bold, whenever her words arrived in between (walk, 5 Dec). What ends them
 * is as ProseMirror has it: the person's own typing, a move of the caret, a selection of words.
 *
 * Registered after CaretOnRemoteEdits: the caret it puts back is part of her change, not a move.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { isRemoteChange } from './remoteChange';

export const StoredMarksAcrossRemoteEdits = Extension.create({
  name: 'storedMarksAcrossRemoteEdits',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('storedMarksAcrossRemoteEdits'),
        appendTransaction(transactions, before, state) {
          if (!before.storedMarks || state.storedMarks || !state.selection.empty) return null;
          // Only a remote change and what plugins appended to it (the caret put back): anything of
          // the person's own ends the stored marks as usual.
          if (!transactions.some(isRemoteChange) || !transactions.every((tr) => isRemoteChange(tr) || tr.getMeta('appendedTransaction'))) return null;
          return state.tr.setStoredMarks(before.storedMarks).setMeta('addToHistory', false);
        },
      }),
    ];
  },
});
