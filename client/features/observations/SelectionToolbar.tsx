/**
 * A small bar beside selected words, for people without a keyboard (a phone, a tablet): Tag opens
 * the palette on the words, Flag opens it with "for my co-therapist" already on. On the words of a
 * flag for me (where the flag counter takes me), it offers the answers instead: on a phone the
 * page said "Alt+M “I missed that”, Alt+S “I saw it”" there, and offered Tag and Flag on her
 * words, the answers being below the whole note (walk, 6 Dec). It shows on touch screens and
 * narrow windows, where the shortcuts are out of reach.
 */
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { observationIdsAtSelection } from './observationModel';
import { TOUCH_QUERY } from './touchScreen';

interface SelectionToolbarProps {
  editor: Editor;
  coTherapistName: string | null;
  hidden: boolean;
  /** The flags for me not answered yet, by observation id. */
  flagsForMe: readonly string[];
  onTag(): void;
  onFlag(): void;
  onAcknowledge(observationId: string): void;
  onDispute(observationId: string): void;
}

/** About as wide as its two buttons, to keep it on the screen. */
const WIDTH = 300;

function useMatches(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/**
 * Re-renders on each frame the page scrolls or resizes while `on`: the bar is placed on the screen
 * (position: fixed), and stayed where the words had been as the page scrolled (walk, 4 Dec: over
 * the Members heading on a phone).
 */
function useFollowScroll(on: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    let frame = 0;
    const onMove = () => {
      if (frame === 0) frame = requestAnimationFrame(() => {
        frame = 0;
        setTick((t) => t + 1);
      });
    };
    // Capture: the note may scroll inside a panel, not the window.
    window.addEventListener('scroll', onMove, { capture: true, passive: true });
    window.addEventListener('resize', onMove);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onMove, { capture: true });
      window.removeEventListener('resize', onMove);
    };
  }, [on]);
}

export function SelectionToolbar(props: SelectionToolbarProps) {
  const { editor, coTherapistName, hidden, flagsForMe, onTag, onFlag } = props;
  const touch = useMatches(TOUCH_QUERY);
  const selection = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      empty: e.state.selection.empty,
      to: e.state.selection.to,
      focused: e.isFocused,
      editable: e.isEditable,
      flag: e.state.selection.empty ? undefined : observationIdsAtSelection(e.state).find((id) => flagsForMe.includes(id)),
    }),
  });
  const flag = selection.flag;
  const shown = touch && !hidden && !selection.empty && selection.focused && selection.editable;
  useFollowScroll(shown);
  if (!shown) return null;

  let rect: { top: number; bottom: number; left: number };
  try {
    rect = editor.view.coordsAtPos(selection.to);
  } catch {
    return null;
  }
  // The words scrolled out of sight: so does the bar.
  if (rect.bottom < 0 || rect.top > window.innerHeight) return null;
  const width = Math.min(WIDTH, window.innerWidth - 16);
  const left = Math.max(8, Math.min(rect.left - width / 2, window.innerWidth - width - 8));
  const top = Math.min(rect.bottom + 10, window.innerHeight - 64);

  return (
    <div
      className="selection-toolbar"
      role="toolbar"
      aria-label={flag ? 'A flag for you' : 'Selected words'}
      style={{ top, left, maxWidth: width }}
      // The words stay selected while a button is pressed.
      onMouseDown={(e) => e.preventDefault()}
      data-testid="selection-toolbar"
    >
      {flag ? (
        <>
          <button type="button" className="button button--small" onClick={() => props.onAcknowledge(flag)} data-testid="selection-acknowledge">
            I missed that
          </button>
          <button type="button" className="button button--small" onClick={() => props.onDispute(flag)} data-testid="selection-dispute">
            I saw it…
          </button>
        </>
      ) : (
        <>
          <button type="button" className="button button--small" onClick={onTag} data-testid="selection-tag">
            Tag…
          </button>
          {coTherapistName !== null && (
            <button type="button" className="button button--small" onClick={onFlag} data-testid="selection-flag">
              Flag for {coTherapistName}…
            </button>
          )}
        </>
      )}
    </div>
  );
}
