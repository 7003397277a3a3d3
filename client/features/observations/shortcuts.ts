/**
 * The session page's keyboard shortcuts in one registry, so what the legend shows and what the
 * keys do cannot drift apart. Letters are matched by physical key (`event.code`): with ⌥ on a Mac
 * a letter key types a symbol, and the shortcut must still work.
 */
import { altKey, hasMod, modKey } from '../../editor/keys';

export type ShortcutId = 'tag' | 'nextFlag' | 'acknowledge' | 'dispute' | 'help';

export interface Shortcut {
  id: ShortcutId;
  keys: string;
  what: string;
  /** Only therapists who can write use it. */
  writersOnly: boolean;
  matches(event: KeyboardEvent): boolean;
}

/** Whether the key goes into something the person is typing in. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

const altOnly = (e: KeyboardEvent) => e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
const modOnly = (e: KeyboardEvent) => hasMod(e) && !e.altKey && !e.shiftKey;

export const shortcuts: Shortcut[] = [
  {
    id: 'tag',
    keys: `${modKey}+K`,
    what: 'Tag the selection, or the word at the cursor; at the end of a line, tag what you write next',
    writersOnly: true,
    matches: (e) => modOnly(e) && (e.code === 'KeyK' || e.key.toLowerCase() === 'k'),
  },
  {
    id: 'nextFlag',
    keys: `${altKey}+J`,
    what: 'Jump to the next flag for you',
    writersOnly: true,
    matches: (e) => altOnly(e) && e.code === 'KeyJ',
  },
  {
    id: 'acknowledge',
    keys: `${altKey}+M`,
    what: 'Answer the flag: “I missed that”',
    writersOnly: true,
    matches: (e) => altOnly(e) && e.code === 'KeyM',
  },
  {
    id: 'dispute',
    keys: `${altKey}+S`,
    what: 'Answer the flag: “I saw it” (with an optional note)',
    writersOnly: true,
    matches: (e) => altOnly(e) && e.code === 'KeyS',
  },
  {
    id: 'help',
    keys: `? or ${modKey}+/`,
    what: 'Show or hide the keyboard shortcuts (“?” when not typing)',
    writersOnly: false,
    matches: (e) =>
      (modOnly(e) && (e.key === '/' || e.code === 'Slash')) ||
      (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)),
  },
];

/** Keys inside the tag palette. */
export const paletteKeys: [keys: string, what: string][] = [
  ['a–z', 'tag by its letter, or type its name'],
  ['↑ ↓', 'move'],
  ['Tab', 'add another tag'],
  ['1–9', 'member'],
  ['!', 'for co-therapist'],
  ['Enter', 'tag'],
  ['Shift+Enter', 'tag and flag'],
  ['Esc', 'close'],
];

export const shortcutKeys = (id: ShortcutId): string => shortcuts.find((s) => s.id === id)?.keys ?? '';
