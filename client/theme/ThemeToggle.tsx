import { useTheme } from './ThemeProvider';

/** Dark mode on or off, for a dim room; remembered in this browser. */
export function ThemeToggle() {
  const { theme, choose } = useTheme();
  const isDark = theme === 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-pressed={isDark}
      title={isDark ? 'Dark mode is on (kept in this browser)' : 'Dark mode, for dim rooms (kept in this browser)'}
      onClick={() => choose(isDark ? 'light' : 'dark')}
      data-testid="theme-toggle"
    >
      <span aria-hidden="true">{isDark ? '☾' : '☀'}</span> <span className="theme-toggle__label">Dark mode</span>
    </button>
  );
}
