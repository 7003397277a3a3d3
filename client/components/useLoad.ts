/**
 * Loads data for a page and keeps the three states apart (loading, failed, loaded). An expired
 * login is handed to the session-expiry handler instead of being shown as a page error.
 */
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { useSessionExpiry } from '../auth/useSessionExpiry';
import { onBackOnline } from '../offline/offlineStatus';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  /** `refreshError`: a reload failed; the data shown is the last that loaded. */
  | { status: 'ok'; data: T; refreshError?: unknown };

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): { state: LoadState<T>; reload(): void } {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const handleExpiry = useSessionExpiry();
  const loadedAttempt = useRef(attempt);

  useEffect(() => {
    let current = true;
    // New deps mean other data (another session, say): never show the old data meanwhile.
    // A reload of the same data keeps it on screen until the new answer arrives.
    if (loadedAttempt.current === attempt) setState((prev) => (prev.status === 'loading' ? prev : { status: 'loading' }));
    loadedAttempt.current = attempt;
    load().then(
      (data) => current && setState({ status: 'ok', data }),
      (error: unknown) => {
        if (!current || handleExpiry(error)) return;
        // A failed refresh must not take away what is on screen (the live editor, say).
        setState((prev) => (prev.status === 'ok' ? { ...prev, refreshError: error } : { status: 'error', error }));
      },
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; the caller's deps say when it really changes.
  }, [...deps, attempt, handleExpiry]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // Data this device kept while offline is replaced by the server's once the network is back.
  useEffect(() => onBackOnline(reload), [reload]);
  return { state, reload };
}
