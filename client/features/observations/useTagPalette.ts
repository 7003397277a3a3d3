/**
 * The tag palette's lifetime on the session page: opened at the editor's selection (held as Yjs
 * relative positions while it is open), applied as one observation (mark and record together),
 * closed with the focus back in the note.
 */
import type { Editor } from '@tiptap/core';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import type { BlindAnchor } from '../../../shared/domain/blind';
import { holdTarget, privateAnchor, resolveTarget, type HeldTarget } from './heldTarget';
import { readDomSelection, shortQuote } from './observationModel';
import { positionAtSelection, type FloatingPosition } from './palettePosition';
import { PALETTE_HEIGHT, PALETTE_WIDTH, type PaletteChoice } from './TagPalette';
import { applyObservation } from './writeObservation';

export interface PaletteState {
  held: HeldTarget;
  /** The selected words, shortened for the heading (spans only). */
  quote: string | null;
  position: FloatingPosition;
  /** Why the held selection can no longer be tagged (it was changed or removed meanwhile). */
  problem: string | null;
  /** Opened to flag (the selection toolbar's Flag button): "for my co-therapist" starts on. */
  flag: boolean;
}

interface Options {
  editor: Editor | null;
  doc: Y.Doc | null;
  me: string;
  /** A therapist whose connection may write. */
  enabled: boolean;
  /** Called when the palette opens: the codebook and member labels may have changed meanwhile. */
  onOpen(): void;
  /**
   * In a blind session before the reveal: the observation is sent to the server privately instead
   * of being written into the shared note (anchored where the palette held the selection).
   */
  privately?: ((choice: PaletteChoice, anchor: BlindAnchor) => void) | null;
}

export function useTagPalette({ editor, doc, me, enabled, onOpen, privately }: Options) {
  const [palette, setPalette] = useState<PaletteState | null>(null);

  // While it is open, say at once when the co-therapist's edits take the selected words away.
  const held = palette?.held ?? null;
  useEffect(() => {
    if (!editor || !held) return;
    const check = () => {
      if (editor.isDestroyed) return;
      const result = resolveTarget(editor, held);
      const problem = 'problem' in result ? result.problem : null;
      setPalette((p) => (p && p.held === held && p.problem !== problem ? { ...p, problem } : p));
    };
    editor.on('update', check);
    check();
    return () => {
      editor.off('update', check);
    };
  }, [editor, held]);

  function open(opts: { flag?: boolean } = {}): boolean {
    if (!editor || editor.isDestroyed || !enabled) return false;
    readDomSelection(editor);
    const target = holdTarget(editor);
    if (!target) return false;
    setPalette({
      held: target,
      quote: target.kind === 'span' ? shortQuote(target.text) : null,
      position: positionAtSelection(editor, PALETTE_WIDTH, PALETTE_HEIGHT),
      problem: null,
      flag: opts.flag ?? false,
    });
    onOpen();
    return true;
  }

  function apply(choice: PaletteChoice): void {
    if (!palette || !editor || editor.isDestroyed || !doc) return;
    const result = resolveTarget(editor, palette.held);
    if ('problem' in result) {
      setPalette({ ...palette, problem: result.problem });
      return;
    }
    if (privately) {
      const anchor = privateAnchor(editor, result.target, palette.held);
      if (!anchor) return setPalette({ ...palette, problem: 'The note is not open any more.' });
      setPalette(null);
      privately(choice, anchor);
      editor.commands.focus();
      return;
    }
    setPalette(null);
    applyObservation(editor, doc, { authorId: me, tags: choice.tags, member: choice.member, forCoTherapist: choice.forCoTherapist }, result.target);
    editor.commands.focus();
  }

  function close(how: 'escape' | 'away'): void {
    setPalette(null);
    if (how === 'escape') editor?.commands.focus();
  }

  return { palette, open, apply, close };
}
