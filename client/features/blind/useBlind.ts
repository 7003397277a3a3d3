import { useCallback, useEffect, useState } from 'react';
import type { BlindAnchor, BlindStateView, PrivateObservationView } from '../../../shared/domain/blind';
import { addPrivateObservation, fetchBlind, fetchPrivateObservations, pressReveal, setBlind } from '../../api/blind';
import { errorMessage } from '../../api/http';
import { useFreshness } from '../../components/useFreshness';

/** How often a blind session asks whether the co-therapist pressed Reveal (or the session ended). */
const POLL_MS = 3000;
const NONE: PrivateObservationView[] = [];

/**
 * A session's blind mode on the session page: the setting (before the start), my private
 * observations (the server sends me mine only), Reveal, and the moment the reveal happened.
 * `refreshKey` changes whenever the session may have changed (its status, or the server closing
 * the note's connection because it changed): the blind state is read again then.
 */
export function useBlind(sessionId: string, { isTherapist, refreshKey }: { isTherapist: boolean; refreshKey: string }) {
  const [state, setState] = useState<BlindStateView | null>(null);
  const [mine, setMine] = useState<PrivateObservationView[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isPrivate = state !== null && state.enabled && state.revealedAt === null;

  // A read that left before my observation was stored, and came back after it, took the
  // observation off my list (seen in CI: tagged, then the list said none).
  const freshness = useFreshness();

  const refresh = useCallback(
    async ({ quiet }: { quiet: boolean }) => {
      const asked = freshness.next();
      try {
        const next = await fetchBlind(sessionId);
        const list = isTherapist && next.enabled && next.revealedAt === null ? await fetchPrivateObservations(sessionId) : NONE;
        if (!freshness.isLatest(asked)) return;
        setState(next);
        setMine(list);
      } catch (err) {
        if (!quiet) setError(errorMessage(err));
      }
    },
    [sessionId, isTherapist, freshness],
  );

  // Read again when the session moves on (started, ended: the end reveals), and when the server
  // says it changed: the co-therapist's choice of blind mode before the start reaches this page no
  // other way (the poll below runs only once the session is blind).
  useEffect(() => {
    void refresh({ quiet: false });
  }, [refresh, refreshKey]);

  // The co-therapist's Reveal, and my own observations as the server keeps them (another tab of
  // mine adds to the same list). A failed poll says nothing: the next one tries again.
  useEffect(() => {
    if (!isPrivate) return;
    const timer = setInterval(() => {
      if (!document.hidden) void refresh({ quiet: true });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [isPrivate, refresh]);

  /**
   * Runs a change of mine. Reads under way when it was asked, or asked while it ran, are stale once
   * it lands: each change counts once before and once as its answer is shown.
   */
  async function change(run: () => Promise<void>): Promise<void> {
    setError(null);
    freshness.next();
    try {
      await run();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return {
    state,
    // Once revealed they are in the note itself (with their marks), whoever pressed last.
    mine: isPrivate ? mine : NONE,
    notice,
    error,
    isPrivate,
    setEnabled: (enabled: boolean) =>
      change(async () => {
        const next = await setBlind(sessionId, enabled);
        freshness.next();
        setState(next);
      }),
    add: (choice: { tags: { id: string }[]; member: string | null; forCoTherapist: boolean }, anchor: BlindAnchor) =>
      change(async () => {
        const saved = await addPrivateObservation(sessionId, { tags: choice.tags.map((t) => t.id), member: choice.member, forCoTherapist: choice.forCoTherapist, anchor });
        freshness.next();
        setMine((list) => [...list.filter((o) => o.id !== saved.id), saved]);
      }),
    reveal: () =>
      change(async () => {
        const outcome = await pressReveal(sessionId);
        freshness.next();
        setState(outcome.state);
        setNotice(outcome.revealed ? null : outcome.message);
        if (outcome.revealed) setMine(NONE);
      }),
  };
}

export type BlindMode = ReturnType<typeof useBlind>;
