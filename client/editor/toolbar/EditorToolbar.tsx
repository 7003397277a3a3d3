import type { ReactNode } from 'react';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { formatCommands } from './formatCommands';

/** Minimal formatting toolbar; each button's title gives its keyboard shortcut. */
export function EditorToolbar({ editor, children }: { editor: Editor; children?: ReactNode }) {
  // Only a change of the active flags or reasons re-renders the toolbar (useEditorState compares deeply), not every transaction.
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => formatCommands.map((c): [boolean, string | null] => [c.isActive(e), c.unavailable?.(e) ?? null]),
  });

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {formatCommands.map((command, i) => {
        const [active, unavailable] = state[i] ?? [false, null];
        return (
          <button
            key={command.id}
            type="button"
            className={`toolbar__button toolbar__button--${command.id}`}
            title={unavailable ?? `${command.name} (${command.shortcut})`}
            aria-label={command.name}
            aria-pressed={active}
            // Still focusable, so its title says why (a disabled button says nothing).
            aria-disabled={unavailable !== null}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => unavailable === null && command.run(editor)}
            data-testid={`toolbar-${command.id}`}
          >
            {command.label}
          </button>
        );
      })}
      {children && <span className="toolbar__extras">{children}</span>}
    </div>
  );
}
