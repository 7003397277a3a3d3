/**
 * A form submission's (or button action's) lifecycle: pending while the request runs, the error
 * it ended with, and expired logins routed to the login page rather than shown in the form.
 */
import { useState, type FormEvent } from 'react';
import { useSessionExpiry } from '../auth/useSessionExpiry';

interface SubmitOptions {
  /** False for the login form, where 401 means "wrong password", not "login expired". @default true */
  unauthorizedIsExpiry?: boolean;
}

export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<void>, opts: SubmitOptions = {}) {
  const unauthorizedIsExpiry = opts.unauthorizedIsExpiry ?? true;
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const handleExpiry = useSessionExpiry();

  async function run(...args: A): Promise<void> {
    if (isPending) return;
    setPending(true);
    setError(null);
    try {
      await action(...args);
    } catch (err) {
      if (!unauthorizedIsExpiry || !handleExpiry(err)) setError(err);
    } finally {
      setPending(false);
    }
  }

  /** For `<form onSubmit>` when the action takes no arguments. */
  function handleSubmit(event: FormEvent): void {
    event.preventDefault();
    void run(...([] as unknown as A));
  }

  return { isPending, error, run, handleSubmit };
}
