/**
 * The web client's own tagging code, run in Node on a copy of the note: a ProseMirror document
 * built from the Y.Doc with the editor's schema and y-tiptap's mapping, the way the editor's
 * collaboration binding holds it, so `holdTarget` and `blindAnchor` compute exactly the anchor a
 * browser would send for a selection.
 */
import { getSchema, type Editor } from '@tiptap/core';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import StarterKit from '@tiptap/starter-kit';
import { initProseMirrorDoc, ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { memberMention } from '../../client/editor/memberMention';
import { ObservationMark } from '../../client/editor/observationMark';
import { blindAnchor, holdTarget, type HeldTarget } from '../../client/features/observations/heldTarget';
import type { BlindAnchor } from '../../shared/domain/blind';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';

export const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false }), ObservationMark, memberMention(() => [])]);

/**
 * An editor-shaped view of `doc` with a selection, enough for the client's target functions: its
 * state carries the sync plugin's binding (doc, fragment, mapping) where `ySyncPluginKey` finds it.
 * `select` picks the selection's ends in the ProseMirror document.
 */
export function clientSelection(doc: Y.Doc, select: (pm: EditorState['doc']) => { from: number; to: number }): { editor: Editor; held: HeldTarget; meta: unknown } {
  const type = doc.getXmlFragment(NOTE_FIELD);
  const { doc: pm, mapping, meta } = initProseMirrorDoc(type, schema);
  const { from, to } = select(pm);
  const state = EditorState.create({ schema, doc: pm, selection: TextSelection.create(pm, from, to) });
  (state as unknown as Record<string, unknown>)[(ySyncPluginKey as unknown as { key: string }).key] = { doc, type, binding: { mapping } };
  const editor = { state } as unknown as Editor;
  const held = holdTarget(editor);
  if (!held) throw new Error('no target held');
  return { editor, held, meta };
}

/** The private anchor the client sends for a selection. */
export function clientBlindAnchor(doc: Y.Doc, select: (pm: EditorState['doc']) => { from: number; to: number }): { anchor: BlindAnchor; held: HeldTarget } {
  const { editor, held } = clientSelection(doc, select);
  const anchor = blindAnchor(editor, held);
  if (!anchor) throw new Error('no anchor');
  return { anchor, held };
}

/** The whole text content of the paragraph containing `words` (End, then Shift+Home), in ProseMirror positions. */
export const wholeLineOf = (words: string) => (pm: EditorState['doc']) => {
  let found: { from: number; to: number } | null = null;
  pm.descendants((node, pos) => {
    if (found || !node.isTextblock || !node.textContent.includes(words)) return !found;
    found = { from: pos + 1, to: pos + node.nodeSize - 1 };
    return false;
  });
  if (!found) throw new Error(`no paragraph with "${words}"`);
  return found;
};
