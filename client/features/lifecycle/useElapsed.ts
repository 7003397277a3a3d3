import { useEffect, useState } from 'react';

/**
 * Milliseconds since the session clock started (server time), ticking each second while it runs;
 * fixed at the session's length once it ended; null before it started.
 */
export function useElapsed(startedAt: string | null, endedAt: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  const running = startedAt !== null && endedAt === null;
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (startedAt === null) return null;
  const start = Date.parse(startedAt);
  return Math.max(0, (endedAt === null ? now : Date.parse(endedAt)) - start);
}
