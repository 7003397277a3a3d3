import type { Editor } from '@tiptap/core';
import { startMention } from '../../editor/memberMention';
import { shortcutKeys } from '../observations/shortcuts';

interface NoteToolbarExtrasProps {
  /** Null until the editor exists: no mention button meanwhile. */
  editor: Editor | null;
  canMention: boolean;
  canTag: boolean;
  showHelp: boolean;
  onTag(): void;
  onToggleHelp(): void;
}

/** The session's own buttons in the editor toolbar: mention a member, tag, keyboard help. */
export function NoteToolbarExtras({ editor, canMention, canTag, showHelp, onTag, onToggleHelp }: NoteToolbarExtrasProps) {
  return (
    <>
      {canMention && editor && (
        <button
          type="button"
          className="toolbar__button"
          title="Mention a member by label (or type @)"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => startMention(editor)}
          data-testid="toolbar-mention"
        >
          @ Member
        </button>
      )}
      {canTag && (
        <button
          type="button"
          className="toolbar__button toolbar__button--tag"
          title={`Tag the selection or the word at the cursor; at the end of a line, what you write next (${shortcutKeys('tag')})`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={onTag}
          data-testid="toolbar-tag"
        >
          Tag…
        </button>
      )}
      <button
        type="button"
        className="toolbar__button"
        title={`Keyboard shortcuts (${shortcutKeys('help')})`}
        aria-label="Keyboard shortcuts"
        aria-pressed={showHelp}
        onMouseDown={(e) => e.preventDefault()}
        onClick={onToggleHelp}
      >
        ?
      </button>
    </>
  );
}
