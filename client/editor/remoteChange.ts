import type { Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/**
 * Whether a ProseMirror transaction is the Yjs binding writing a change that came from Yjs (the
 * co-therapist's edit, or this device's copy loading), not this person's undo or redo, which the
 * binding writes the same way.
 */
export function isRemoteChange(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean; isUndoRedoOperation?: boolean } | undefined;
  return meta?.isChangeOrigin === true && meta.isUndoRedoOperation !== true;
}
