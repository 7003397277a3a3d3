/** Pure helpers over observations, flags and where their marks sit in the editor's document. */
import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import type { FlagResponse, Observation } from '../../../shared/domain/observation';
import { OBSERVATION_MARK } from '../../../shared/ydoc/sessionDoc';

/** A flag the other therapist raised for me (I am a therapist of the session, not its author). */
export function isFlagFor(o: Observation, me: string): boolean {
  return o.forCoTherapist && o.authorId !== me;
}

export function unansweredFlagsFor(me: string, observations: Observation[], responses: Map<string, FlagResponse>): Observation[] {
  return observations.filter((o) => isFlagFor(o, me) && !responses.has(o.id));
}

export interface TextRange {
  from: number;
  to: number;
}

/** Where each observation's mark sits in the document: from its first to its last marked character. */
export function observationRanges(doc: PMNode): Map<string, TextRange> {
  const ranges = new Map<string, TextRange>();
  doc.descendants((node, pos) => {
    if (!node.isText) return;
    for (const mark of node.marks) {
      if (mark.type.name !== OBSERVATION_MARK || typeof mark.attrs.id !== 'string') continue;
      const id = mark.attrs.id as string;
      const range = ranges.get(id);
      if (range) range.to = pos + node.nodeSize;
      else ranges.set(id, { from: pos, to: pos + node.nodeSize });
    }
  });
  return ranges;
}

/** Ids of the observations the selection touches (or the caret sits in). */
export function observationIdsAtSelection(state: EditorState): string[] {
  const { from, to, $from } = state.selection;
  const ids = new Set<string>();
  const collect = (node: PMNode) => {
    for (const mark of node.marks) if (mark.type.name === OBSERVATION_MARK && typeof mark.attrs.id === 'string') ids.add(mark.attrs.id);
  };
  if (from === to) {
    // The characters on both sides of the caret.
    const before = $from.nodeBefore;
    const after = $from.nodeAfter;
    if (before) collect(before);
    if (after) collect(after);
  } else {
    state.doc.nodesBetween(from, to, (node) => {
      if (node.isText) collect(node);
    });
  }
  return [...ids];
}

/** Whether any text between `from` and `to` already belongs to an observation. */
export function rangeIsTagged(doc: PMNode, from: number, to: number): boolean {
  let tagged = false;
  doc.nodesBetween(from, to, (node) => {
    if (node.isText && node.marks.some((m) => m.type.name === OBSERVATION_MARK)) tagged = true;
  });
  return tagged;
}

/** Whether any text in the selection already belongs to an observation (one per character). */
export function selectionIsTagged(state: EditorState): boolean {
  return !state.selection.empty && observationIdsAtSelection(state).length > 0;
}

/** The text a selection covers, shortened for a heading. */
export function shortQuote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Brings the editor's selection up to date with the page's. A selection made with the browser's
 * own keys (Shift+Home, say) reaches ProseMirror on the next `selectionchange`, which can come
 * after a shortcut pressed right away; reading it then would see the old selection.
 */
export function readDomSelection(editor: Editor): void {
  (editor.view as unknown as { domObserver?: { flush(): void } }).domObserver?.flush();
}

/** Puts the caret right after a tagged line's label (its marker), with the keyboard there, to write its words; false when it is not in the note. */
export function caretAfterLabel(editor: Editor, id: string): boolean {
  const range = observationRanges(editor.state.doc).get(id);
  if (!range) return false;
  return editor.chain().focus().setTextSelection(range.to).scrollIntoView().run();
}
