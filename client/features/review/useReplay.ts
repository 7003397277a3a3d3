import { useEffect, useState } from 'react';
import { fetchReplay, type Replay } from '../../api/review';
import { errorMessage } from '../../api/http';

export interface ReplayState {
  /** The moment shown (ms), or null for the note as it stands now. */
  at: number | null;
  data: Replay | null;
  loading: boolean;
  error: string | null;
  setAt(at: number | null): void;
}

/**
 * The note as it stood at a moment, fetched a little after the slider stops moving (dragging
 * does not send a request per pixel); the last result stays on screen while the next loads.
 */
export function useReplay(sessionId: string): ReplayState {
  const [at, setAt] = useState<number | null>(null);
  const [data, setData] = useState<Replay | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (at === null) {
      setData(null);
      setError(null);
      return;
    }
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      fetchReplay(sessionId, at).then(
        (replay) => {
          if (!current) return;
          setData(replay);
          setError(null);
          setLoading(false);
        },
        (err: unknown) => {
          if (!current) return;
          setError(errorMessage(err));
          setLoading(false);
        },
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [sessionId, at]);

  return { at, data: at === null ? null : data, loading, error, setAt };
}
