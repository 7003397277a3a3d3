/**
 * A form submission's (or button action's) lifecycle, as a mutation: pending while the request
 * runs, the error it ended with, and on success the queries it changed read again (so no caller
 * reloads by hand). Expired logins go to the login page (the QueryClient's mutation cache).
 */
import type { FormEvent } from 'react';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

interface SubmitOptions<A extends unknown[]> {
  /**
   * The queries this write makes stale (prefixes, from queryKeys.ts), or a function of the
   * action's arguments giving them. They are read again before `run` resolves, so what the page
   * shows next is the server's answer after the write. @default []
   */
  invalidates?: readonly QueryKey[] | ((...args: A) => readonly QueryKey[]);
  /** False for the login form, where 401 means "wrong password", not "login expired". @default true */
  unauthorizedIsExpiry?: boolean;
}

export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<void>, opts: SubmitOptions<A> = {}) {
  const queryClient = useQueryClient();
  const { invalidates = [] } = opts;
  const mutation = useMutation({
    mutationFn: (args: A) => action(...args),
    onSuccess: (_data, args) => {
      const keys = typeof invalidates === 'function' ? invalidates(...args) : invalidates;
      return Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
    meta: { unauthorizedIsExpiry: opts.unauthorizedIsExpiry ?? true },
  });

  async function run(...args: A): Promise<void> {
    if (mutation.isPending) return;
    // The error is the mutation's state, shown by the form; nothing to rethrow.
    await mutation.mutateAsync(args).catch(() => undefined);
  }

  /** For `<form onSubmit>` when the action takes no arguments. */
  function handleSubmit(event: FormEvent): void {
    event.preventDefault();
    void run(...([] as unknown as A));
  }

  return { isPending: mutation.isPending, error: mutation.error, run, handleSubmit };
}
