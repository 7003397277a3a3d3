/**
 * The toolbar's formatting commands in one registry, so the buttons, their titles and their
 * keyboard shortcuts cannot drift apart. Shortcuts are StarterKit's own.
 */
import type { Editor } from '@tiptap/core';
import { altKey as alt, modKey as mod } from '../keys';

export interface FormatCommand {
  id: string;
  /** What the button shows. */
  label: string;
  /** What the button is called (title and screen readers); it starts with the visible label, so speech control can say what it sees. */
  name: string;
  /** Human-readable shortcut, shown in the button's title. */
  shortcut: string;
  isActive(editor: Editor): boolean;
  /** Why the command cannot apply where the selection is, for the button to say so; null when it can. */
  unavailable?(editor: Editor): string | null;
  run(editor: Editor): void;
}

export const formatCommands: FormatCommand[] = [
  {
    id: 'heading',
    label: 'H2',
    name: 'H2 heading',
    shortcut: `${mod}+${alt}+2`,
    isActive: (e) => e.isActive('heading', { level: 2 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  },
  {
    id: 'bold',
    label: 'B',
    name: 'Bold',
    shortcut: `${mod}+B`,
    isActive: (e) => e.isActive('bold'),
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    id: 'italic',
    label: 'I',
    name: 'Italic',
    shortcut: `${mod}+I`,
    isActive: (e) => e.isActive('italic'),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    id: 'bulletList',
    label: '• List',
    name: 'Bulleted list',
    shortcut: `${mod}+Shift+8`,
    isActive: (e) => e.isActive('bulletList'),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    id: 'orderedList',
    label: '1. List',
    name: '1. List, numbered',
    shortcut: `${mod}+Shift+7`,
    isActive: (e) => e.isActive('orderedList'),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    id: 'blockquote',
    label: 'Quote',
    name: 'Quote',
    shortcut: `${mod}+Shift+B`,
    isActive: (e) => e.isActive('blockquote'),
    // A list item's first block must stay a paragraph: the click did nothing, and said nothing (walk, 6 Dec).
    unavailable: (e) => (e.isActive('listItem') && !e.can().toggleBlockquote() ? 'A list item cannot be a quote: take it out of the list first' : null),
    run: (e) => e.chain().focus().toggleBlockquote().run(),
  },
];

