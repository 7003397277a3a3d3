import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { BlindAnchor, BlindStateView, PrivateObservationView } from '../../../shared/domain/blind';
import { addPrivateObservation, fetchBlind, fetchPrivateObservations, pressReveal, setBlind } from '../../api/blind';
import { errorMessage } from '../../api/http';
import { useSubmit } from '../../components/useSubmit';
import { keys } from '../../query/keys';

/** How often a blind session asks whether the co-therapist pressed Reveal (or the session ended). */
const POLL_MS = 3000;
const NONE: PrivateObservationView[] = [];
const BACKGROUND = { background: true } as const;

interface BlindRead {
  state: BlindStateView;
  /** My private observations (the server sends me mine only); none once revealed. */
  mine: PrivateObservationView[];
}

/**
 * A session's blind mode on the session page: the setting (before the start), my private
 * observations (the server sends me mine only), Reveal, and the moment the reveal happened.
 * `refreshKey` changes whenever the session may have changed (its status, or the server closing
 * the note's connection because it changed): the blind state is read again then. Not `enabled`:
 * nothing is asked, and the session reads as not blind.
 */
export function useBlind(sessionId: string, { isTherapist, refreshKey, enabled }: { isTherapist: boolean; refreshKey: string; enabled: boolean }) {
  const client = useQueryClient();
  const key = keys.session(sessionId, 'blind', isTherapist);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The setting asked for while its request is out: the box shows it at once (walk, 5 Dec: it seemed not to take the click). */
  const [asking, setAsking] = useState<boolean | null>(null);
  const query = useQuery({
    queryKey: key,
    // The page's own reads (the Reveal poll every few seconds, and on a change it was told of):
    // not use of the login, or a blind session's page left open would keep it (attack, 6 Dec).
    queryFn: async (): Promise<BlindRead> => {
      const state = await fetchBlind(sessionId, BACKGROUND);
      const mine = isTherapist && state.enabled && state.revealedAt === null ? await fetchPrivateObservations(sessionId, BACKGROUND) : NONE;
      return { state, mine };
    },
    // Not asked where it does not apply (sessionParts.ts): the process notes' page asked, and was answered 404.
    enabled,
  });
  const state = query.data?.state ?? null;
  const mine = query.data?.mine ?? NONE;
  const isPrivate = state !== null && state.enabled && state.revealedAt === null;

  // The co-therapist's Reveal, and my own observations as the server keeps them (another tab of
  // mine adds to the same list), while the session is blind and this tab is seen. Each poll asks
  // anew and cancels the read still out (refetchQueries' cancelRefetch): TanStack's own
  // `refetchInterval` skips its turn while a read is out, so one read that never answers would
  // stop the watch for the Reveal. A failed poll says nothing: the next one tries again, and the
  // last answer stays.
  useEffect(() => {
    if (!isPrivate) return;
    const read = keys.session(sessionId, 'blind', isTherapist);
    const timer = setInterval(() => {
      if (!document.hidden) void client.refetchQueries({ queryKey: read, exact: true });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [client, sessionId, isTherapist, isPrivate]);

  // Read again when the session moves on (started, ended: the end reveals), and when the server
  // says it changed: the co-therapist's choice of blind mode before the start reaches this page no
  // other way (the poll runs only once the session is blind). Such a read says when it failed.
  const firstKey = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey === firstKey.current || !enabled) return;
    firstKey.current = refreshKey;
    const read = keys.session(sessionId, 'blind', isTherapist);
    void client.refetchQueries({ queryKey: read, exact: true }).then(() => {
      const after = client.getQueryState(read);
      if (after?.status === 'error' && after.errorUpdatedAt > after.dataUpdatedAt) setError(errorMessage(after.error));
    });
  }, [client, sessionId, isTherapist, refreshKey, enabled]);

  /**
   * Runs a change of mine, then shows its answer. A read (a poll, say) that left before the server
   * had my change and came back after it took my observation off my list (seen in CI: tagged, then
   * the list said none): the answer is shown only after any read still out is cancelled.
   */
  async function change(run: () => Promise<(read: BlindRead) => BlindRead>): Promise<void> {
    setError(null);
    try {
      const update = await run();
      await client.cancelQueries({ queryKey: key, exact: true });
      client.setQueryData<BlindRead>(key, (read) => (read ? update(read) : read));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  // The blind setting and Reveal are buttons: a second press while the first is out does nothing.
  // Not my private observations: each one tagged is another, to be kept however quickly it follows.
  const press = useSubmit(change);

  const loadError = query.data === undefined && query.error ? errorMessage(query.error) : null;
  return {
    state,
    // Once revealed they are in the note itself (with their marks), whoever pressed last.
    mine: isPrivate ? mine : NONE,
    notice,
    error: error ?? loadError,
    isPrivate,
    isPressing: press.isPending,
    /** What the choice shows: the setting asked for while it is being saved, else the server's. */
    enabledShown: asking ?? state?.enabled ?? false,
    isSaving: asking !== null,
    setEnabled: async (enabled: boolean) => {
      if (press.isPending) return;
      setAsking(enabled);
      // A refusal shows the server's setting again, with its error.
      await press.run(async () => {
        const next = await setBlind(sessionId, enabled);
        return (read) => ({ ...read, state: next });
      });
      setAsking(null);
    },
    add: (choice: { tags: { id: string }[]; member: string | null; forCoTherapist: boolean }, anchor: BlindAnchor) =>
      change(async () => {
        const saved = await addPrivateObservation(sessionId, { tags: choice.tags.map((t) => t.id), member: choice.member, forCoTherapist: choice.forCoTherapist, anchor });
        return (read) => ({ ...read, mine: [...read.mine.filter((o) => o.id !== saved.id), saved] });
      }),
    reveal: () =>
      press.run(async () => {
        const outcome = await pressReveal(sessionId);
        setNotice(outcome.revealed ? null : outcome.message);
        return (read) => ({ state: outcome.state, mine: outcome.revealed ? NONE : read.mine });
      }),
  };
}

export type BlindMode = ReturnType<typeof useBlind>;
