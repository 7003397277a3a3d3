/**
 * Renders a page inside the providers App.tsx gives it (flash, auth, the one QueryClient), against
 * whatever server `fetch` reaches. The page appears once `/api/me` said who is signed in; when the
 * login ends, the auth state shows instead, as the app's router would send the person to log in.
 */
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { AuthProvider } from '../../client/auth/AuthProvider';
import { useAuth } from '../../client/auth/useCurrentUser';
import { FlashMessage, FlashProvider } from '../../client/components/Flash';
import { QueryProvider } from '../../client/components/QueryProvider';

// jsdom has no layout, so no ResizeObserver; TableScroll asks for one to learn whether a table
// overflows, which never happens here.
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};

function SignedIn({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  return state.status === 'signed-in' ? children : <p data-testid="auth-state">{state.status}</p>;
}

export function renderSignedIn(page: ReactNode) {
  return render(
    <FlashProvider>
      <AuthProvider>
        <QueryProvider>
          <FlashMessage />
          <SignedIn>{page}</SignedIn>
        </QueryProvider>
      </AuthProvider>
    </FlashProvider>,
  );
}
