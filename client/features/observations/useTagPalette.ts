/**
 * The tag palette's lifetime on the session page: opened at the editor's selection, applied as
 * one observation (mark and record together), closed with the focus back in the note.
 */
import type { Editor } from '@tiptap/core';
import { useState } from 'react';
import type * as Y from 'yjs';
import { readDomSelection, selectionIsTagged, shortQuote } from './observationModel';
import { positionAtSelection, type FloatingPosition } from './palettePosition';
import { PALETTE_HEIGHT, PALETTE_WIDTH, type PaletteChoice } from './TagPalette';
import { applyObservation } from './writeObservation';

export interface PaletteState {
  quote: string | null;
  overlapsTagged: boolean;
  position: FloatingPosition;
}

interface Options {
  editor: Editor | null;
  doc: Y.Doc | null;
  me: string;
  /** A therapist whose connection may write. */
  enabled: boolean;
  /** Called when the palette opens: the codebook and member labels may have changed meanwhile. */
  onOpen(): void;
}

export function useTagPalette({ editor, doc, me, enabled, onOpen }: Options) {
  const [palette, setPalette] = useState<PaletteState | null>(null);

  function open(): boolean {
    if (!editor || editor.isDestroyed || !enabled) return false;
    readDomSelection(editor);
    const { state } = editor;
    const { from, to, empty } = state.selection;
    setPalette({
      quote: empty ? null : shortQuote(state.doc.textBetween(from, to, ' ')),
      overlapsTagged: selectionIsTagged(state),
      position: positionAtSelection(editor, PALETTE_WIDTH, PALETTE_HEIGHT),
    });
    onOpen();
    return true;
  }

  function apply(choice: PaletteChoice): void {
    setPalette(null);
    if (!editor || editor.isDestroyed || !doc) return;
    applyObservation(editor, doc, { authorId: me, tags: choice.tags, member: choice.member, forCoTherapist: choice.forCoTherapist });
    editor.commands.focus();
  }

  function close(how: 'escape' | 'blur'): void {
    setPalette(null);
    if (how === 'escape') editor?.commands.focus();
  }

  return { palette, open, apply, close };
}
