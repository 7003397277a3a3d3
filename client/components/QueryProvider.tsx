/**
 * Provides the app's one QueryClient. Lives inside the auth provider: an expired login found by
 * any query or write goes to the login flow, and the answers kept for one person are dropped when
 * they sign out, so the next person on this browser never sees them.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '../api/queryClient';
import { useSessionExpiry } from '../auth/useSessionExpiry';
import { useAuth } from '../auth/useCurrentUser';

/** The app's one QueryClient, made once for the page's life. */
export function QueryProvider({ children }: { children: ReactNode }) {
  const handleExpiry = useSessionExpiry();
  // The client is made once; the cache's error hook reads the latest handler through this ref.
  const latestExpiry = useRef(handleExpiry);
  latestExpiry.current = handleExpiry;
  const [client] = useState(() => createQueryClient((error) => latestExpiry.current(error)));

  const { state } = useAuth();
  const isSignedIn = state.status === 'signed-in';
  useEffect(() => {
    if (!isSignedIn) client.clear();
  }, [isSignedIn, client]);

  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
