/**
 * A form submission's (or button action's) lifecycle, as a TanStack mutation: pending while the
 * request runs, and the error it ended with. An expired login is handled once, by the query
 * client's MutationCache (query/queryClient.ts), and is not shown in the form.
 *
 * Every button and form that changes something on the server goes through here, so none sends
 * its request twice: a second press while the first one's action runs does nothing. An action
 * that makes the page read again what it changed should await that read, so the button stays
 * held until the page shows the change (a session started is no longer offered "Start").
 */
import { useMutation } from '@tanstack/react-query';
import { useRef, type FormEvent } from 'react';
import { isExpiry } from '../auth/sessionExpiry';
import type { ChangeMeta } from '../query/queryClient';

interface SubmitOptions {
  /** False for the login form, where 401 means "wrong password", not "login expired". @default true */
  unauthorizedIsExpiry?: boolean;
}

export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<void>, opts: SubmitOptions = {}) {
  const unauthorizedIsExpiry = opts.unauthorizedIsExpiry ?? true;
  const meta: ChangeMeta = { unauthorizedIsExpiry };
  // The mutation runs the `action` of the render that called `run` (its options follow each render).
  const mutation = useMutation({ mutationFn: (args: A) => action(...args), meta });
  const error = mutation.error !== null && !(unauthorizedIsExpiry && isExpiry(mutation.error)) ? mutation.error : null;
  // Held from the press itself: `isPending` reaches the render a task later (TanStack tells its
  // observers on a timer), so the second click of a double click found it false and sent the
  // request again (walk, 3 Dec: an addendum written twice into a locked record).
  const inFlight = useRef(false);

  async function run(...args: A): Promise<void> {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      // The error is the mutation's state (shown as `error`); nothing else to do with it here.
      await mutation.mutateAsync(args).catch(() => undefined);
    } finally {
      inFlight.current = false;
    }
  }

  /** For `<form onSubmit>` when the action takes no arguments. */
  function handleSubmit(event: FormEvent): void {
    event.preventDefault();
    void run(...([] as unknown as A));
  }

  return { isPending: mutation.isPending, error, run, handleSubmit };
}
