import { useEffect, useRef } from 'react';
import { shortcuts, type ShortcutId } from './shortcuts';

/** What each shortcut does; a handler returns false when it did nothing (the key then passes on). */
export type ShortcutHandlers = Partial<Record<ShortcutId, () => boolean>>;

/**
 * Listens for the session page's shortcuts anywhere on the page (in the editor or not). The editor
 * handles its own keys first; ours are ones it leaves alone.
 */
export function useNoteShortcuts(handlers: ShortcutHandlers): void {
  const current = useRef(handlers);
  current.current = handlers;

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.repeat) return;
      const shortcut = shortcuts.find((s) => s.matches(event));
      const handler = shortcut && current.current[shortcut.id];
      if (handler && handler()) event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
