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
      {/* The state is said on the button too (walk, 4 Dec: it read the same both ways); its name stays "Dark mode", pressed or not. */}
      <span aria-hidden="true">{isDark ? '☾' : '☀'}</span>{' '}
      <span className="theme-toggle__label">
        Dark mode<span aria-hidden="true">{isDark ? ': on' : ': off'}</span>
      </span>
    </button>
  );
}
