/**
 * Holds the app's QueryClient (queryClient.ts) and what it does for every query at once: an
 * expired login, whatever read or change met it, sends the person to the login page with a
 * message; and the server's answers replace the device's once the network is back.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { endLogin } from '../auth/authCache';
import { EXPIRED_MESSAGE, isExpiry } from '../auth/sessionExpiry';
import { useFlash } from '../components/Flash';
import { createQueryClient, refetchWhenBackOnline } from './queryClient';

export function ServerStateProvider({ children }: { children: ReactNode }) {
  const { show } = useFlash();
  // The client lives as long as the app; it reads the latest `show` when an error comes.
  const showRef = useRef(show);
  showRef.current = show;
  const [client] = useState(() =>
    createQueryClient((error) => {
      if (!isExpiry(error)) return;
      showRef.current(EXPIRED_MESSAGE);
      void endLogin(client, 'expired');
    }),
  );
  useEffect(() => refetchWhenBackOnline(client), [client]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
