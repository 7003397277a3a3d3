/**
 * A one-shot message carried across a navigation ("Your login expired", "You no longer have
 * access to that session"), shown on the next page until dismissed or replaced.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

interface FlashValue {
  message: string | null;
  show(message: string): void;
  clear(): void;
}

const FlashContext = createContext<FlashValue | null>(null);

export function FlashProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  const value = useMemo(() => ({ message, show: setMessage, clear: () => setMessage(null) }), [message]);
  return <FlashContext.Provider value={value}>{children}</FlashContext.Provider>;
}

export function useFlash(): FlashValue {
  const value = useContext(FlashContext);
  if (!value) throw new Error('useFlash must be used inside <FlashProvider>');
  return value;
}

/** Renders the pending flash message, if any. */
export function FlashMessage() {
  const { message, clear } = useFlash();
  if (!message) return null;
  return (
    <div className="flash" role="status" data-testid="flash">
      <span>{message}</span>
      <button type="button" className="link-button" onClick={clear} aria-label="Dismiss message">
        Dismiss
      </button>
    </div>
  );
}
