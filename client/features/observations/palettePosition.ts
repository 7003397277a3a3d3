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
 * Where a small floating box goes: just below the selection's end, or above its start when there
 * is not enough room below (above its last line, it covered the lines before: clinic walk, 4 Dec),
 * kept inside the window. Fixed positioning, so nothing in the note moves.
 */
export function positionAtSelection(editor: Editor, width: number, height: number): FloatingPosition {
  const { from, to } = editor.state.selection;
  const at = (pos: number): { top: number; bottom: number; left: number } => {
    try {
      return editor.view.coordsAtPos(pos);
    } catch {
      return editor.view.dom.getBoundingClientRect();
    }
  };
  const start = at(from);
  const end = at(to);
  return positionAtRect({ top: Math.min(start.top, end.top), bottom: Math.max(start.bottom, end.bottom), left: end.left }, width, height);
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
  // Below the words when the whole box fits there, else on the side with more room: below with
  // 300 px of room, the palette kept one tag and a half in view of nine while above it had room
  // for all its height (walk, 6 Dec: a caret halfway down the window).
  if (below >= height || below >= above) return { top: rect.bottom + MARGIN, left, width: boxWidth, maxHeight: Math.min(height, below) };
  return { bottom: innerHeight - rect.top + MARGIN, left, width: boxWidth, maxHeight: Math.min(height, above) };
}
