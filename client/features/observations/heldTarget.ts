/**
 * What the tag palette will tag, held from the moment it opens as Yjs relative positions, so that
 * a co-therapist writing elsewhere in the note meanwhile moves it along instead of losing it. When
 * it is applied, the positions are read again in the note as it is then; if the selected words were
 * changed or removed in between, nothing is written and the palette says why.
 */
import type { Editor } from '@tiptap/core';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { BlindAnchor } from '../../../shared/domain/blind';
import { MENTION_NODE } from '../../../shared/ydoc/sessionDoc';
import { rangeIsTagged, selectionIsTagged } from './observationModel';
import { wordAtCaret } from './wordAtCaret';
import { caretToWordStart, openLineForTag, type ObservationTarget } from './writeObservation';

export type HeldTarget =
  /** `atCaret`: nothing was selected, and the span is the word at the caret (wordAtCaret). */
  | { kind: 'span'; from: Y.RelativePosition; to: Y.RelativePosition; text: string; atCaret: boolean }
  | { kind: 'line' | 'lineAfter'; at: Y.RelativePosition };

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> };
}

function binding(editor: Editor): Binding | null {
  const state = ySyncPluginKey.getState(editor.state) as Partial<Binding> | undefined;
  return state?.doc && state.type && state.binding ? (state as Binding) : null;
}

/**
 * A relative position for an editor position. `stickRight` ties it to the character after it (a
 * selection's start), so text written just before the selection stays outside it.
 */
function relativeAt(b: Binding, pos: number, stickRight: boolean): Y.RelativePosition {
  const rel = absolutePositionToRelativePosition(pos, b.type, b.binding.mapping as never) as Y.RelativePosition;
  if (!stickRight) return rel;
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, b.doc);
  return abs ? Y.createRelativePositionFromTypeIndex(abs.type, abs.index, 0) : rel;
}

function absoluteOf(b: Binding, rel: Y.RelativePosition): number | null {
  const pos = relativePositionToAbsolutePosition(b.doc, b.type, rel, b.binding.mapping as never);
  if (pos !== null) return pos;
  // y-tiptap refuses any position on a character that lands at the document's very start (it takes
  // it for one misplaced by a block drag), so a selection from the note's first character — a whole
  // first line — read as removed. Yjs still says where the character is: at the start of its text
  // node, which is the place before that node in its block, and that place y-tiptap reads.
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, b.doc);
  if (!(abs?.type instanceof Y.XmlText) || abs.index !== 0 || !(abs.type.parent instanceof Y.XmlElement)) return null;
  const parent = abs.type.parent;
  const index = parent.toArray().indexOf(abs.type);
  return index < 0 ? null : relativePositionToAbsolutePosition(b.doc, b.type, Y.createRelativePositionFromTypeIndex(parent, index, 0), b.binding.mapping as never);
}

/**
 * The caret (the selection's head) as a Yjs relative position, so that it can be come back to after
 * the co-therapist's edits moved the note on; null where the editor has no Yjs binding.
 */
export function holdCaret(editor: Editor): Y.RelativePosition | null {
  const b = binding(editor);
  return b ? relativeAt(b, editor.state.selection.head, false) : null;
}

/** Where a held caret (holdCaret) stands in the note now; null when its place was removed. */
export function caretNow(editor: Editor, held: Y.RelativePosition): number | null {
  const b = binding(editor);
  return b ? absoluteOf(b, held) : null;
}

/**
 * A leaf node as it reads in a quote: a mention chip as "@M1", the way the server quotes it (a plain
 * leaf-text string would turn the chip into a line break and a quote starting with it read as
 * nothing), anything else (a line break) as a new line.
 */
const leafText = (node: ProseMirrorNode) => (node.type.name === MENTION_NODE ? `@${String(node.attrs.id ?? '')}` : '\n');

/** The text between two editor positions, blocks and line breaks as new lines, mentions as "@label". */
const textOf = (editor: Editor, from: number, to: number) => editor.state.doc.textBetween(from, to, '\n', leafText);

/** Holds the editor's current selection (or cursor); null while the editor is not bound to the note. */
export function holdTarget(editor: Editor): HeldTarget | null {
  const b = binding(editor);
  if (!b) return null;
  const { from, to, empty, $from } = editor.state.selection;
  const word = empty ? wordAtCaret($from) : null;
  if (word) {
    // A word already tagged gets a line of its own after its block, as a tagged selection does.
    if (rangeIsTagged(editor.state.doc, word.from, word.to)) return { kind: 'lineAfter', at: relativeAt(b, from, false) };
    return { kind: 'span', from: relativeAt(b, word.from, true), to: relativeAt(b, word.to, false), text: textOf(editor, word.from, word.to), atCaret: true };
  }
  if (empty) return { kind: 'line', at: relativeAt(b, from, false) };
  if (selectionIsTagged(editor.state)) return { kind: 'lineAfter', at: relativeAt(b, to, false) };
  return { kind: 'span', from: relativeAt(b, from, true), to: relativeAt(b, to, false), text: textOf(editor, from, to), atCaret: false };
}

/** The held target in the note as it is now, or why it can no longer be tagged. */
export function resolveTarget(editor: Editor, held: HeldTarget): { target: ObservationTarget } | { problem: string } {
  const b = binding(editor);
  if (!b) return { problem: 'The note is not open any more.' };
  if (held.kind !== 'span') {
    const at = absoluteOf(b, held.at);
    return at === null ? { problem: 'The place you were writing at was removed from the note, so nothing was tagged.' } : { target: { kind: held.kind, at } };
  }
  const from = absoluteOf(b, held.from);
  const to = absoluteOf(b, held.to);
  if (from === null || to === null || to <= from) return { problem: 'The words you selected were removed from the note meanwhile, so nothing was tagged. Press Esc and select them again.' };
  if (textOf(editor, from, to) !== held.text) return { problem: 'The words you selected were changed meanwhile, so nothing was tagged. Press Esc and select them again.' };
  return { target: { kind: 'span', from, to } };
}

const base64 = (rel: Y.RelativePosition) => btoa(String.fromCharCode(...Y.encodeRelativePosition(rel)));

/**
 * The held target as a blind session's private anchor: the span's first character and its end
 * tied to its last character (words typed right after it stay outside), or a line's place tied to
 * the character before it (what the therapist goes on typing stays after the marker the reveal
 * puts there). Null while the editor is not bound to the note.
 */
export function blindAnchor(editor: Editor, held: HeldTarget): BlindAnchor | null {
  const b = binding(editor);
  if (!b) return null;
  const stickLeft = (rel: Y.RelativePosition) => {
    const abs = Y.createAbsolutePositionFromRelativePosition(rel, b.doc);
    return abs ? Y.createRelativePositionFromTypeIndex(abs.type, abs.index, -1) : null;
  };
  if (held.kind === 'span') {
    const to = stickLeft(held.to);
    return to ? { kind: 'span', from: base64(held.from), to: base64(to) } : null;
  }
  const at = stickLeft(held.at);
  return at ? { kind: 'line', at: base64(at) } : null;
}

/**
 * Where a private (blind) tag of `target`, held as `held` when the palette opened, is anchored:
 * for a line, its words are what the therapist writes after the anchor, never the words already on
 * the line (openLineForTag), and no word is cut in two (caretToWordStart, where an open tag's
 * marker goes). Null while the editor is not bound to the note.
 */
export function privateAnchor(editor: Editor, target: ObservationTarget, held: HeldTarget): BlindAnchor | null {
  const moved = target.kind === 'line' && (openLineForTag(editor, target.at) || caretToWordStart(editor, target.at));
  if (!moved) return blindAnchor(editor, held);
  // Still a line where the caret went (holdTarget would hold the word at a caret amid words).
  const caret = holdCaret(editor);
  return caret && blindAnchor(editor, { kind: 'line', at: caret });
}
