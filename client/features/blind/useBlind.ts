import { useCallback, useEffect, useState } from 'react';
import type { BlindAnchor, BlindStateView, PrivateObservationView } from '../../../shared/domain/blind';
import { addPrivateObservation, fetchBlind, fetchPrivateObservations, pressReveal, setBlind } from '../../api/blind';
import { errorMessage } from '../../api/http';

/** How often a blind session asks whether the co-therapist pressed Reveal (or the session ended). */
const POLL_MS = 3000;
const NONE: PrivateObservationView[] = [];

/**
 * A session's blind mode on the session page: the setting (before the start), my private
 * observations (the server sends me mine only), Reveal, and the moment the reveal happened.
 */
export function useBlind(sessionId: string, { isTherapist, status }: { isTherapist: boolean; status: string }) {
  const [state, setState] = useState<BlindStateView | null>(null);
  const [mine, setMine] = useState<PrivateObservationView[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isPrivate = state !== null && state.enabled && state.revealedAt === null;

  const refresh = useCallback(async () => {
    try {
      const next = await fetchBlind(sessionId);
      setState(next);
      if (isTherapist && next.enabled && next.revealedAt === null) setMine(await fetchPrivateObservations(sessionId));
      else setMine([]);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [sessionId, isTherapist]);

  // Read again when the session moves on (started, ended: the end reveals).
  useEffect(() => {
    void refresh();
  }, [refresh, status]);

  useEffect(() => {
    if (!isPrivate) return;
    const timer = setInterval(() => {
      if (!document.hidden) void fetchBlind(sessionId).then(setState, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [isPrivate, sessionId]);

  return {
    state,
    // Once revealed they are in the note itself (with their marks), whoever pressed last.
    mine: isPrivate ? mine : NONE,
    notice,
    error,
    isPrivate,
    setEnabled: async (enabled: boolean) => {
      setError(null);
      try {
        setState(await setBlind(sessionId, enabled));
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    add: async (choice: { tags: { id: string }[]; member: string | null; forCoTherapist: boolean }, anchor: BlindAnchor) => {
      setError(null);
      try {
        const saved = await addPrivateObservation(sessionId, { tags: choice.tags.map((t) => t.id), member: choice.member, forCoTherapist: choice.forCoTherapist, anchor });
        setMine((list) => [...list, saved]);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    reveal: async () => {
      setError(null);
      try {
        const outcome = await pressReveal(sessionId);
        setState(outcome.state);
        setNotice(outcome.revealed ? null : outcome.message);
        if (outcome.revealed) setMine([]);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
  };
}

export type BlindMode = ReturnType<typeof useBlind>;
