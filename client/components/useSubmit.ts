/**
 * A form submission's (or button action's) lifecycle, as a TanStack mutation: pending while the
 * request runs, and the error it ended with. An expired login is handled once, by the query
 * client's MutationCache (query/queryClient.ts), and is not shown in the form.
 */
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
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

  async function run(...args: A): Promise<void> {
    if (mutation.isPending) return;
    // The error is the mutation's state (shown as `error`); nothing else to do with it here.
    await mutation.mutateAsync(args).catch(() => undefined);
  }

  /** For `<form onSubmit>` when the action takes no arguments. */
  function handleSubmit(event: FormEvent): void {
    event.preventDefault();
    void run(...([] as unknown as A));
  }

  return { isPending: mutation.isPending, error, run, handleSubmit };
}
