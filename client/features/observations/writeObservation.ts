/**
 * Writing observations and answers into the note's Y.Doc. A tag and its record travel in one Yjs
 * transaction (one update), so the server accepts or refuses them together.
 */
import type { Editor } from '@tiptap/core';
import type { ResolvedPos } from '@tiptap/pm/model';
import { TextSelection, type Transaction } from '@tiptap/pm/state';
import type * as Y from 'yjs';
import type { FlagResponse, Observation } from '../../../shared/domain/observation';
import { observationIdFor } from '../../../shared/domain/observationIds';
import { lineLabel } from '../../../shared/note/lineWords';
import { OBSERVATION_MARK, sessionDoc } from '../../../shared/ydoc/sessionDoc';
import { newUuid } from './uuid';

/** Origin of our own observation transactions (not ySync's, so the editor's undo leaves them alone). */
const OBSERVATION_ORIGIN = { source: 'observation' } as const;

export interface NewObservation {
  authorId: string;
  tags: { id: string; name: string }[];
  member: string | null;
  forCoTherapist: boolean;
}

/**
 * Where the observation goes, in the editor's current positions: the words of a span, the cursor
 * for a tagged line (its marker goes there, on the same line), or, when the selection overlaps
 * tagged text, a new line after the block at `at`.
 */
export type ObservationTarget = { kind: 'span'; from: number; to: number } | { kind: 'line'; at: number } | { kind: 'lineAfter'; at: number };

/**
 * Writes the observation: the span's mark, or a tagged line's marker, together with its record.
 * The caret ends after the span or the marker, so what the therapist types next goes on from there.
 */
export function applyObservation(editor: Editor, doc: Y.Doc, spec: NewObservation, target: ObservationTarget): Observation {
  const record: Observation = {
    id: observationIdFor(spec.authorId, newUuid()),
    tags: spec.tags.map((t) => t.id),
    authorId: spec.authorId,
    createdAt: Date.now(),
    kind: target.kind === 'span' ? 'span' : 'line',
    member: spec.member,
    forCoTherapist: spec.forCoTherapist,
  };
  // The editor writes its transaction to the Y.Doc synchronously, so both land in this one.
  doc.transact(() => {
    // The caret goes to the end of the span: typing on must not replace the words just tagged.
    if (target.kind === 'span') editor.chain().setTextSelection({ from: target.from, to: target.to }).setMark(OBSERVATION_MARK, { id: record.id }).setTextSelection(target.to).run();
    else insertMarker(editor, record.id, lineLabel(spec.tags.map((t) => t.name), spec.member), target);
    sessionDoc(doc).observations.set(record.id, record);
  }, OBSERVATION_ORIGIN);
  return record;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Whether `$at` stands at the start of a line (of its text block, or right after a line break) that
 * already has words after it. A tagged line's words are what follows its marker on its line, so a
 * marker put there would take words already written, the co-therapist's sentence say, as the
 * observation's own (walk, 4 Dec, M5).
 */
function startsWrittenLine($at: ResolvedPos): boolean {
  if (!$at.parent.isTextblock) return false;
  const text = $at.parent.textBetween(0, $at.parent.content.size, undefined, '\n');
  const offset = $at.parentOffset;
  if (offset > 0 && text[offset - 1] !== '\n') return false;
  const lineEnd = text.indexOf('\n', offset);
  return /\S/.test(text.slice(offset, lineEnd < 0 ? undefined : lineEnd));
}

/**
 * Adds an empty line before the written line at `$at` (startsWrittenLine): a paragraph of its own
 * before the block where the block starts there and its parent takes one, else a line break at
 * `$at`. Returns where the new line is, in `tr`'s positions. The written line is left as it was.
 */
function emptyLineBefore(tr: Transaction, $at: ResolvedPos): number {
  const { schema } = tr.doc.type;
  const paragraph = schema.nodes.paragraph!;
  const index = $at.index($at.depth - 1);
  if ($at.parentOffset === 0 && $at.depth > 0 && $at.node($at.depth - 1).canReplaceWith(index, index, paragraph)) {
    tr.insert($at.before(), paragraph.create());
    return $at.before() + 1;
  }
  tr.insert($at.pos, schema.nodes.hardBreak!.create());
  return $at.pos;
}

/**
 * Before a therapist tags, privately, the start of a line that has words already (blind mode: the
 * marker is written at the reveal where the caret was, and the line's words are what the therapist
 * writes after it): opens an empty line there and puts the caret in it, as a tag in the open note
 * does. Returns whether it did.
 */
export function openLineForTag(editor: Editor, at: number): boolean {
  const $at = editor.state.doc.resolve(at);
  if (!startsWrittenLine($at)) return false;
  const tr = editor.state.tr;
  const pos = emptyLineBefore(tr, $at);
  editor.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, pos)));
  return true;
}

/**
 * Where a tagged line's marker goes on a line at `$at`: at the start of the word the caret is in,
 * so that no word is cut in two (blind mode put it where the caret was: the co-therapist's "away"
 * read "awa", the tag's words, then "y", and her observation quoted "awa": walk, 6 Dec).
 */
function wordStart($at: ResolvedPos): number {
  const text = $at.parent.textBetween(0, $at.parent.content.size, undefined, '\n');
  let offset = $at.parentOffset;
  while (offset > 0 && WORD_CHAR.test(text[offset - 1] ?? '') && WORD_CHAR.test(text[offset] ?? '')) offset--;
  return $at.start() + offset;
}

/**
 * Before a therapist tags a line privately with the caret inside a word: puts the caret at the
 * start of that word, where a tag in the open note puts its marker (insertMarker), so that what she
 * writes, and the marker at the reveal, go before the word instead of into it. Returns whether it moved.
 */
export function caretToWordStart(editor: Editor, at: number): boolean {
  const $at = editor.state.doc.resolve(at);
  if (!$at.parent.isTextblock) return false;
  const pos = wordStart($at);
  if (pos === at) return false;
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, pos)));
  return true;
}

/**
 * A tagged line's marker: at the cursor, on the line the therapist is writing (never breaking it
 * in two), at the start of the word the cursor is in, with a space before it after other text.
 * At the start of a line that has words already, on an empty line of its own before it
 * (startsWrittenLine). With `lineAfter`, on a new line after the block instead.
 */
function insertMarker(editor: Editor, id: string, label: string, target: Exclude<ObservationTarget, { kind: 'span' }>): void {
  const { state } = editor;
  const { schema } = state;
  const marker = schema.text(label, [schema.marks[OBSERVATION_MARK]!.create({ id })]);
  const tr = state.tr;
  const $at = state.doc.resolve(target.at);
  let caret: number;
  if (target.kind === 'lineAfter' || !$at.parent.isTextblock) {
    const after = target.kind === 'lineAfter' && $at.depth > 0 ? $at.after($at.depth) : $at.pos;
    tr.insert(after, schema.nodes.paragraph!.create(null, marker));
    caret = after + 1 + label.length;
  } else if (target.kind === 'line' && startsWrittenLine($at)) {
    const pos = emptyLineBefore(tr, $at);
    tr.insert(pos, marker);
    caret = pos + label.length;
  } else {
    const pos = wordStart($at);
    const before = $at.parent.textBetween(0, $at.parent.content.size, undefined, '\n')[pos - $at.start() - 1];
    const pieces = before !== undefined && !/\s/.test(before) ? [schema.text(' '), marker] : [marker];
    tr.insert(pos, pieces);
    caret = pos + pieces.reduce((n, p) => n + p.nodeSize, 0);
  }
  tr.setSelection(TextSelection.create(tr.doc, caret)).setStoredMarks([]).scrollIntoView();
  editor.view.dispatch(tr);
}

/** The flagged therapist's answer: "I missed that" (acknowledged) or "I saw it" (disputed). */
export function answerFlag(doc: Y.Doc, observationId: string, by: string, answer: FlagResponse['answer'], note: string | null): void {
  const response: FlagResponse = { by, at: Date.now(), answer, note: note && note.trim() ? note.trim().slice(0, 500) : null };
  doc.transact(() => sessionDoc(doc).responses.set(observationId, response), OBSERVATION_ORIGIN);
}
