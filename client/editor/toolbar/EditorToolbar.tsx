import type { ReactNode } from 'react';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { formatCommands } from './formatCommands';

/** Minimal formatting toolbar; each button's title gives its keyboard shortcut. */
export function EditorToolbar({ editor, children }: { editor: Editor; children?: ReactNode }) {
  // Only the active flags re-render the toolbar, not every transaction.
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => formatCommands.map((c) => c.isActive(e)).join(','),
  }).split(',');

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {formatCommands.map((command, i) => (
        <button
          key={command.id}
          type="button"
          className={`toolbar__button toolbar__button--${command.id}`}
          title={`${command.name} (${command.shortcut})`}
          aria-label={command.name}
          aria-pressed={active[i] === 'true'}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => command.run(editor)}
          data-testid={`toolbar-${command.id}`}
        >
          {command.label}
        </button>
      ))}
      {children && <span className="toolbar__extras">{children}</span>}
    </div>
  );
}
