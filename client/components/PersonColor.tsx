/**
 * The signed-in person's colour where it means something: in a session, the colour the session
 * gives them (their caret, their presence dot, their words in the review), which differs from
 * session to session so two co-therapists never share one. The session pages announce it, and
 * the header shows it; elsewhere the header shows none.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

interface PersonColorState {
  color: string | null;
  setColor(color: string | null): void;
}

const PersonColorContext = createContext<PersonColorState>({ color: null, setColor: () => undefined });

export function PersonColorProvider({ children }: { children: ReactNode }) {
  const [color, setColor] = useState<string | null>(null);
  const value = useMemo(() => ({ color, setColor }), [color]);
  return <PersonColorContext.Provider value={value}>{children}</PersonColorContext.Provider>;
}

/** The colour the header shows for me, or null outside a session. */
export function usePersonColor(): string | null {
  return useContext(PersonColorContext).color;
}

/** Shows `color` as mine in the header while the calling page is open. */
export function useAnnouncePersonColor(color: string | null): void {
  const { setColor } = useContext(PersonColorContext);
  useEffect(() => {
    setColor(color);
    return () => setColor(null);
  }, [color, setColor]);
}
