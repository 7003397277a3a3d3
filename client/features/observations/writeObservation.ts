/**
 * Writing observations and answers into the note's Y.Doc. A tag and its record travel in one Yjs
 * transaction (one update), so the server accepts or refuses them together.
 */
import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import type * as Y from 'yjs';
import type { FlagResponse, Observation } from '../../../shared/domain/observation';
import { OBSERVATION_MARK, sessionDoc } from '../../../shared/ydoc/sessionDoc';
import { lineLabel, selectionIsTagged } from './observationModel';
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
 * Tags the selection (a span), or, with nothing selected (or text that is already tagged),
 * inserts a line at the cursor that starts with a tagged label and leaves the caret after it.
 */
export function applyObservation(editor: Editor, doc: Y.Doc, spec: NewObservation): Observation {
  const kind: Observation['kind'] = editor.state.selection.empty || selectionIsTagged(editor.state) ? 'line' : 'span';
  const record: Observation = {
    id: newUuid(),
    tags: spec.tags.map((t) => t.id),
    authorId: spec.authorId,
    createdAt: Date.now(),
    kind,
    member: spec.member,
    forCoTherapist: spec.forCoTherapist,
  };
  // The editor writes its transaction to the Y.Doc synchronously, so both land in this one.
  doc.transact(() => {
    // The caret goes to the end of the span: typing on must not replace the words just tagged.
    if (kind === 'span') editor.chain().setMark(OBSERVATION_MARK, { id: record.id }).setTextSelection(editor.state.selection.to).run();
    else insertTaggedLine(editor, record.id, lineLabel(spec.tags.map((t) => t.name), spec.member));
    sessionDoc(doc).observations.set(record.id, record);
  }, OBSERVATION_ORIGIN);
  return record;
}

function insertTaggedLine(editor: Editor, id: string, label: string): void {
  const { state } = editor;
  const { schema } = state;
  const text = schema.text(label, [schema.marks[OBSERVATION_MARK]!.create({ id })]);
  const $at = state.selection.empty ? state.selection.$head : state.selection.$to;
  const tr = state.tr;
  let caret: number;
  if ($at.parent.type.name === 'paragraph' && $at.parent.content.size === 0) {
    // An empty line: write the label into it.
    tr.insert($at.pos, text);
    caret = $at.pos + label.length;
  } else {
    // After the block the cursor is in (or right here, between blocks).
    const after = $at.depth > 0 ? $at.after($at.depth) : $at.pos;
    tr.insert(after, schema.nodes.paragraph!.create(null, text));
    caret = after + 1 + label.length;
  }
  tr.setSelection(TextSelection.create(tr.doc, caret)).setStoredMarks([]).scrollIntoView();
  editor.view.dispatch(tr);
}

/** The flagged therapist's answer: "I missed that" (acknowledged) or "I saw it" (disputed). */
export function answerFlag(doc: Y.Doc, observationId: string, by: string, answer: FlagResponse['answer'], note: string | null): void {
  const response: FlagResponse = { by, at: Date.now(), answer, note: note && note.trim() ? note.trim().slice(0, 500) : null };
  doc.transact(() => sessionDoc(doc).responses.set(observationId, response), OBSERVATION_ORIGIN);
}
