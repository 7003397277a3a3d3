import type { Editor } from '@tiptap/core';

export interface FloatingPosition {
  top?: number;
  bottom?: number;
  left: number;
  width: number;
  /** The room there is on that side of the selection. */
  maxHeight: number;
}

/** Below this window width a floating box becomes a sheet along the bottom of the screen. */
const NARROW = 640;
const MARGIN = 8;

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
  const viewport = window.visualViewport;
  const innerWidth = viewport?.width ?? window.innerWidth;
  const innerHeight = viewport?.height ?? window.innerHeight;
  // A phone: the whole width of the screen, along its bottom edge, at most most of its height.
  if (innerWidth < NARROW) {
    return { bottom: MARGIN, left: MARGIN, width: innerWidth - 2 * MARGIN, maxHeight: Math.min(height, Math.round(innerHeight * 0.8)) };
  }
  const boxWidth = Math.min(width, innerWidth - 2 * MARGIN);
  const left = Math.max(MARGIN, Math.min(rect.left, innerWidth - boxWidth - MARGIN));
  const below = innerHeight - rect.bottom - 2 * MARGIN;
  const above = rect.top - 2 * MARGIN;
  // Below the words when the box fits there (or fits better there than above).
  if (below >= Math.min(height, 300) || below >= above) return { top: rect.bottom + MARGIN, left, width: boxWidth, maxHeight: Math.min(height, below) };
  return { bottom: innerHeight - rect.top + MARGIN, left, width: boxWidth, maxHeight: Math.min(height, above) };
}
