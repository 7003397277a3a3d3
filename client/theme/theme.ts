/**
 * Light or dark. The device's setting (prefers-color-scheme) unless the person chose one with the
 * toggle; the choice is kept in this browser (localStorage), per browser rather than per account,
 * since it is about the room and the screen. The theme in force is set as data-theme on <html>,
 * which styles.css reads.
 */
export type ThemeChoice = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

const KEY = 'tandem-theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function readThemeChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function storeThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // Storage can be disabled: the choice then lasts for this page only.
  }
}

export const deviceTheme = (): Theme => (window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light');

export function themeInForce(choice: ThemeChoice): Theme {
  return choice === 'system' ? deviceTheme() : choice;
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** Calls `onChange` when the device switches between light and dark. */
export function watchDeviceTheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
