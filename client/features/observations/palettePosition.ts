import type { Editor } from '@tiptap/core';

export interface FloatingPosition {
  top?: number;
  bottom?: number;
  left: number;
  /** The room there is on that side of the selection. */
  maxHeight: number;
}

/**
 * Where a small floating box goes: just below the selection's end (above it when there is not
 * enough room below), kept inside the window. Fixed positioning, so nothing in the note moves.
 */
export function positionAtSelection(editor: Editor, width: number, height: number): FloatingPosition {
  const pos = editor.state.selection.to;
  let rect: { top: number; bottom: number; left: number };
  try {
    rect = editor.view.coordsAtPos(pos);
  } catch {
    rect = editor.view.dom.getBoundingClientRect();
  }
  return positionAtRect(rect, width, height);
}

export function positionAtRect(rect: { top: number; bottom: number; left: number }, width: number, height: number): FloatingPosition {
  const margin = 8;
  const left = Math.max(margin, Math.min(rect.left, window.innerWidth - width - margin));
  const below = window.innerHeight - rect.bottom - 2 * margin;
  const above = rect.top - 2 * margin;
  // Below the words when the box fits there (or fits better there than above).
  if (below >= Math.min(height, 300) || below >= above) return { top: rect.bottom + margin, left, maxHeight: Math.min(height, below) };
  return { bottom: window.innerHeight - rect.top + margin, left, maxHeight: Math.min(height, above) };
}
