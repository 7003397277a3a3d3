/**
 * A small bar beside selected words, for people without a keyboard (a phone, a tablet): Tag opens
 * the palette on the words, Flag opens it with "for my co-therapist" already on. It shows on touch
 * screens and narrow windows, where the palette's shortcut is out of reach.
 */
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { useEffect, useState } from 'react';

interface SelectionToolbarProps {
  editor: Editor;
  coTherapistName: string | null;
  hidden: boolean;
  onTag(): void;
  onFlag(): void;
}

const TOUCH_QUERY = '(pointer: coarse), (max-width: 640px)';
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

export function SelectionToolbar({ editor, coTherapistName, hidden, onTag, onFlag }: SelectionToolbarProps) {
  const touch = useMatches(TOUCH_QUERY);
  const selection = useEditorState({
    editor,
    selector: ({ editor: e }) => ({ empty: e.state.selection.empty, to: e.state.selection.to, focused: e.isFocused, editable: e.isEditable }),
  });
  if (!touch || hidden || selection.empty || !selection.focused || !selection.editable) return null;

  let rect: { bottom: number; left: number };
  try {
    rect = editor.view.coordsAtPos(selection.to);
  } catch {
    return null;
  }
  const width = Math.min(WIDTH, window.innerWidth - 16);
  const left = Math.max(8, Math.min(rect.left - width / 2, window.innerWidth - width - 8));
  const top = Math.min(rect.bottom + 10, window.innerHeight - 64);

  return (
    <div
      className="selection-toolbar"
      role="toolbar"
      aria-label="Selected words"
      style={{ top, left, maxWidth: width }}
      // The words stay selected while a button is pressed.
      onMouseDown={(e) => e.preventDefault()}
      data-testid="selection-toolbar"
    >
      <button type="button" className="button button--small" onClick={onTag} data-testid="selection-tag">
        Tag…
      </button>
      {coTherapistName !== null && (
        <button type="button" className="button button--small" onClick={onFlag} data-testid="selection-flag">
          Flag for {coTherapistName}…
        </button>
      )}
    </div>
  );
}
