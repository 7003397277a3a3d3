/**
 * Working through the flags the co-therapist raised for me, from the keyboard: jump to the next
 * unanswered one (select it and scroll to it), answer "I missed that", or "I saw it" with an
 * optional line. Answers go into the note's `responses` map, attested by the server.
 */
import type { Editor } from '@tiptap/core';
import { useState } from 'react';
import type * as Y from 'yjs';
import type { FlagResponse } from '../../../shared/domain/observation';
import { observationIdsAtSelection, observationRanges, readDomSelection, unansweredFlagsFor } from './observationModel';
import { lineWordRanges, linesWithoutWords } from './observationText';
import { shortcutKeys } from './shortcuts';
import { onTouchScreen } from './touchScreen';
import { positionAtRect, positionAtSelection, type FloatingPosition } from './palettePosition';
import type { NoteObservations } from './useNoteObservations';
import { answerFlag } from './writeObservation';
import { caretNow, holdCaret } from './heldTarget';
import { markShown, returnFromShown } from '../../editor/shownWords';

export interface DisputeTarget {
  observationId: string;
  position: FloatingPosition;
  /** When the answer was asked for (ms), so that asking again gives the box the keyboard again. */
  asked: number;
}

export interface FlagActions {
  /** Unanswered flags for me, in the order they stand in the note. */
  pending: string[];
  /** A short, calm line about the last action ("Answered: I missed that."). */
  message: string | null;
  dispute: DisputeTarget | null;
  jumpNext(): boolean;
  acknowledge(id?: string): boolean;
  startDispute(id?: string): boolean;
  submitDispute(note: string): void;
  cancelDispute(): void;
  /** Selects an observation's text in the editor and scrolls to it. */
  reveal(id: string): boolean;
}

export const DISPUTE_WIDTH = 320;
const DISPUTE_HEIGHT = 130;

interface Options {
  editor: Editor | null;
  doc: Y.Doc | null;
  me: string;
  notes: NoteObservations;
  /** Only a therapist whose connection may write answers flags. */
  canAnswer: boolean;
}

export function useFlagActions({ editor, doc, me, notes, canAnswer }: Options): FlagActions {
  const [current, setCurrent] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [dispute, setDispute] = useState<DisputeTarget | null>(null);

  const ranges = editor && !editor.isDestroyed ? observationRanges(editor.state.doc) : new Map<string, { from: number; to: number }>();
  const flagged = unansweredFlagsFor(me, notes.observations, notes.responses);
  const lines = flagged.filter((o) => o.kind === 'line').map((o) => o.id);
  const unwritten = editor && !editor.isDestroyed ? linesWithoutWords(editor.state.doc, lines, (id) => notes.byId.get(id)?.kind === 'line') : new Set(lines);
  const unanswered = flagged.filter((o) => !unwritten.has(o.id));
  const pending = unanswered
    .map((o) => o.id)
    .sort((a, b) => (ranges.get(a)?.from ?? Infinity) - (ranges.get(b)?.from ?? Infinity));

  /**
   * Selects a flag's words and brings them into view. `focus`: the keyboard goes to the note too;
   * not when a box opens to answer the flag, which must keep it (Tiptap focuses on the next frame,
   * after the box took the focus, and the answer would then be typed over the co-therapist's words).
   */
  function reveal(id: string, focus = true): boolean {
    if (!editor || editor.isDestroyed) return false;
    const range = observationRanges(editor.state.doc).get(id);
    if (!range) return false;
    // A tagged line shows its marker and the words written after it.
    const words = lineWordRanges(editor.state.doc, (o) => notes.byId.get(o)?.kind === 'line').find((r) => r.id === id);
    // Where the therapist was writing (ShownWords keeps the first jump's place across further ones).
    const at = holdCaret(editor);
    const chain = editor.chain();
    (focus ? chain.focus() : chain)
      .setTextSelection({ from: range.from, to: Math.max(range.to, words?.to ?? 0) })
      .command(({ tr }) => !!markShown(tr, tr.selection.from, tr.selection.to, () => (at ? caretNow(editor, at) : null)))
      .scrollIntoView()
      .run();
    return true;
  }

  /** The flag to answer: the one at the selection, else the one last jumped to. */
  function target(explicit?: string): string | null {
    const open = new Set(unanswered.map((o) => o.id));
    if (explicit) return open.has(explicit) ? explicit : null;
    if (editor && !editor.isDestroyed) {
      readDomSelection(editor);
      const here = observationIdsAtSelection(editor.state).find((id) => open.has(id));
      if (here) return here;
    }
    return current && open.has(current) ? current : null;
  }

  function jumpNext(): boolean {
    if (!canAnswer || !editor || editor.isDestroyed) return false;
    readDomSelection(editor);
    if (pending.length === 0) {
      setMessage('No unanswered flags for you.');
      return true;
    }
    const live = observationRanges(editor.state.doc);
    const here = editor.state.selection.from;
    const reachable = pending.filter((id) => live.has(id));
    const next = reachable.find((id) => live.get(id)!.from > here && id !== current) ?? reachable[0];
    if (!next) {
      setMessage('The text of your flags was removed from the note; answer them in the Observations list.');
      return true;
    }
    setCurrent(next);
    reveal(next);
    const index = pending.indexOf(next) + 1;
    // On a phone the bar by the words gives the answers; the keys named there were out of reach (walk, 6 Dec).
    const how = onTouchScreen() ? 'answer it in the bar by the words' : `${shortcutKeys('acknowledge')} “I missed that”, ${shortcutKeys('dispute')} “I saw it”`;
    setMessage(`Flag ${index} of ${pending.length}: ${how}.`);
    return true;
  }

  function answer(id: string, kind: FlagResponse['answer'], note: string | null) {
    if (!doc) return;
    answerFlag(doc, id, me, kind, note);
    setMessage(kind === 'acknowledged' ? 'Answered: “I missed that.”' : 'Answered: “I saw it.”');
    leaveAnswered();
  }

  /**
   * Once a flag is answered (or the answer given up), the caret goes back to where the therapist
   * was writing: the co-therapist's words stayed selected with the keyboard in the note, and the
   * next key typed over them (walk, 4 Dec). A selection the therapist made since is left alone.
   */
  function leaveAnswered() {
    if (editor && !editor.isDestroyed) returnFromShown(editor.view);
  }


  function acknowledge(explicit?: string): boolean {
    if (!canAnswer) return false;
    const id = target(explicit);
    if (!id) {
      setMessage(pending.length > 0 ? `Jump to a flag first (${shortcutKeys('nextFlag')}), then answer it.` : 'No unanswered flags for you.');
      return true;
    }
    answer(id, 'acknowledged', null);
    return true;
  }

  function startDispute(explicit?: string): boolean {
    if (!canAnswer) return false;
    const id = target(explicit);
    if (!id) {
      setMessage(pending.length > 0 ? `Jump to a flag first (${shortcutKeys('nextFlag')}), then answer it.` : 'No unanswered flags for you.');
      return true;
    }
    let position: FloatingPosition;
    if (editor && !editor.isDestroyed && reveal(id, false)) position = positionAtSelection(editor, DISPUTE_WIDTH, DISPUTE_HEIGHT);
    else position = positionAtRect({ top: 120, bottom: 120, left: window.innerWidth - DISPUTE_WIDTH - 24 }, DISPUTE_WIDTH, DISPUTE_HEIGHT);
    setDispute({ observationId: id, position, asked: performance.now() });
    return true;
  }

  function submitDispute(note: string) {
    if (!dispute) return;
    answer(dispute.observationId, 'disputed', note);
    setDispute(null);
    editor?.commands.focus();
  }

  function cancelDispute() {
    if (dispute) leaveAnswered();
    setDispute(null);
    editor?.commands.focus();
  }

  return { pending, message, dispute, jumpNext, acknowledge, startDispute, submitDispute, cancelDispute, reveal };
}
