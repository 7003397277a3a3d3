import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { applyTheme, readThemeChoice, storeThemeChoice, themeInForce, watchDeviceTheme, type Theme, type ThemeChoice } from './theme';

interface ThemeState {
  theme: Theme;
  choice: ThemeChoice;
  choose(choice: ThemeChoice): void;
}

const ThemeContext = createContext<ThemeState>({ theme: 'light', choice: 'system', choose: () => undefined });

/** Keeps the page's theme: the person's choice, else the device's, following the device when it switches. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoice] = useState<ThemeChoice>(readThemeChoice);
  const [device, setDevice] = useState(0);
  useEffect(() => {
    const stop = watchDeviceTheme(() => setDevice((n) => n + 1));
    // The device may have switched between the first render and this subscription (a test that
    // emulates dark mode as the page loads did): read it once more now.
    setDevice((n) => n + 1);
    return stop;
  }, []);
  const theme = useMemo(() => themeInForce(choice), [choice, device]);
  useEffect(() => applyTheme(theme), [theme]);
  const value = useMemo(
    () => ({
      theme,
      choice,
      choose: (next: ThemeChoice) => {
        storeThemeChoice(next);
        setChoice(next);
      },
    }),
    [theme, choice],
  );
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export const useTheme = (): ThemeState => useContext(ThemeContext);
