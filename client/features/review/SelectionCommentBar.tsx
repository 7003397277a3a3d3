import { useEffect, useRef, useState, type RefObject } from 'react';
import { createComment } from '../../api/review';
import { CommentForm } from './CommentForm';
import { passageFromSelection, type PassageSelection } from './passageAnchor';

interface SelectionCommentBarProps {
  sessionId: string;
  noteRef: RefObject<HTMLDivElement | null>;
  onCommented(): void;
}

const short = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
};

/** The note's lines a comment can be put on from the keyboard: paragraphs, headings, code, each holding written words. */
function writtenLines(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('p, h1, h2, h3, h4, h5, h6, pre')).filter((el) => el.querySelector('[data-client][data-clock]') && (el.textContent ?? '').trim());
}

/**
 * The supervisor's way to comment on a passage: select words in the note, then "Comment"; or,
 * from the keyboard, choose a whole line from the list (a selection in a page's text needs a
 * mouse, or caret browsing, which few know: walk, 6 Dec). The anchor is fixed when the form
 * opens, so typing the comment cannot change what it points at.
 */
export function SelectionCommentBar({ sessionId, noteRef, onCommented }: SelectionCommentBarProps) {
  const [selected, setSelected] = useState<PassageSelection | null>(null);
  const [draft, setDraft] = useState<PassageSelection | null>(null);
  /** The lines the keyboard list offers, read from the note when the list gets the focus. */
  const lines = useRef<HTMLElement[]>([]);
  const [lineWords, setLineWords] = useState<string[]>([]);
  /** The line chosen last ('' for none), so that the arrow keys go on from it. */
  const [picked, setPicked] = useState('');

  /** Selects line `i` of the list in the note, as a mouse would, and shows it. */
  function pickLine(i: number) {
    const root = noteRef.current;
    const line = lines.current[i];
    const selection = window.getSelection();
    if (!root || !line || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(line);
    selection.removeAllRanges();
    selection.addRange(range);
    line.scrollIntoView?.({ block: 'center' });
    setSelected(passageFromSelection(root, selection));
  }

  useEffect(() => {
    function onSelectionChange() {
      const root = noteRef.current;
      if (!root) return;
      const selection = window.getSelection();
      const passage = passageFromSelection(root, selection);
      if (passage) setSelected(passage);
      else if (selection && selection.rangeCount > 0 && root.contains(selection.anchorNode)) setSelected(null);
    }
    // Words selected with the pointer: the list no longer names what is selected.
    function onPointerDown(e: PointerEvent) {
      if (noteRef.current?.contains(e.target as Node)) setPicked('');
    }
    document.addEventListener('selectionchange', onSelectionChange);
    document.addEventListener('pointerdown', onPointerDown);
    return () => {
      document.removeEventListener('selectionchange', onSelectionChange);
      document.removeEventListener('pointerdown', onPointerDown);
    };
  }, [noteRef]);

  if (draft) {
    return (
      <div className="selection-bar selection-bar--open" data-testid="selection-comment">
        <p className="selection-bar__quote">Comment on “{short(draft.quote)}”</p>
        <CommentForm
          label="Your comment on the passage"
          submitLabel="Add comment"
          onCancel={() => setDraft(null)}
          onSubmit={async (body) => {
            await createComment(sessionId, { type: 'passage', start: draft.start, end: draft.end, quote: draft.quote }, body);
            setDraft(null);
            setSelected(null);
            setPicked('');
            onCommented();
          }}
        />
      </div>
    );
  }
  return (
    <div className="selection-bar" data-testid="selection-bar">
      {selected ? (
        <p className="selection-bar__quote">Selected: “{short(selected.quote)}”</p>
      ) : (
        <p className="selection-bar__hint muted">Select words in the note to comment on them.</p>
      )}
      {/* Before Comment, so that Tab goes on from the chosen line to the button. */}
      <label className="selection-bar__lines">
        <span className="muted">Or a whole line:</span>{' '}
        <select
          value={picked}
          onFocus={() => {
            lines.current = noteRef.current ? writtenLines(noteRef.current) : [];
            setLineWords(lines.current.map((el) => short(el.textContent ?? '')));
          }}
          onChange={(e) => {
            setPicked(e.target.value);
            pickLine(Number(e.target.value));
          }}
          data-testid="comment-line-picker"
        >
          <option value="" disabled>
            Choose a line…
          </option>
          {lineWords.map((words, i) => (
            <option key={i} value={i}>
              {words}
            </option>
          ))}
        </select>
      </label>
      {selected && (
        <button type="button" className="button button--small button--primary" onClick={() => setDraft(selected)} data-testid="comment-on-selection">
          Comment
        </button>
      )}
    </div>
  );
}
