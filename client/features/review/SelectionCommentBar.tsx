import { useEffect, useState, type RefObject } from 'react';
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

/**
 * The supervisor's way to comment on a passage: select words in the note, then "Comment". The
 * anchor is fixed when the form opens, so typing the comment cannot change what it points at.
 */
export function SelectionCommentBar({ sessionId, noteRef, onCommented }: SelectionCommentBarProps) {
  const [selected, setSelected] = useState<PassageSelection | null>(null);
  const [draft, setDraft] = useState<PassageSelection | null>(null);

  useEffect(() => {
    function onSelectionChange() {
      const root = noteRef.current;
      if (!root) return;
      const selection = window.getSelection();
      const passage = passageFromSelection(root, selection);
      if (passage) setSelected(passage);
      else if (selection && selection.rangeCount > 0 && root.contains(selection.anchorNode)) setSelected(null);
    }
    document.addEventListener('selectionchange', onSelectionChange);
    return () => document.removeEventListener('selectionchange', onSelectionChange);
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
            onCommented();
          }}
        />
      </div>
    );
  }
  return (
    <div className="selection-bar" data-testid="selection-bar">
      {selected ? (
        <>
          <p className="selection-bar__quote">Selected: “{short(selected.quote)}”</p>
          <button type="button" className="button button--small button--primary" onClick={() => setDraft(selected)} data-testid="comment-on-selection">
            Comment
          </button>
        </>
      ) : (
        <p className="selection-bar__hint muted">Select words in the note to comment on them.</p>
      )}
    </div>
  );
}
