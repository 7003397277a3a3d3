/** How modifier keys are written for this person's platform (⌘ and ⌥ on a Mac, Ctrl and Alt elsewhere). */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const modKey = isMac ? '⌘' : 'Ctrl';
export const altKey = isMac ? '⌥' : 'Alt';

/** The platform's command modifier: ⌘ on a Mac, Ctrl elsewhere. */
export function hasMod(event: KeyboardEvent | { metaKey: boolean; ctrlKey: boolean }): boolean {
  return isMac ? event.metaKey : event.ctrlKey;
}
