import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_HEADER } from '../../shared/protocol/background';
import { useBlind } from '../../client/features/blind/useBlind';
import { useSessionRecord } from '../../client/features/lifecycle/useSessionRecord';

/*
 * Attack, 6 Dec: the note page's signed-record poll (review `page=note` and verify) and a blind
 * session's Reveal poll were sent without the background header, so a page left open kept its
 * login past the idle timeout. Every read these hooks make, first, polled or on a change they were
 * told of, is the page's own and says so.
 */

const SESSION = '5b0c3a52-7a3e-4c6e-9a55-3f7c0f1d9e21';
const answers: Record<string, unknown> = {
  [`/api/sessions/${SESSION}/review?page=note`]: { signatures: [] },
  [`/api/sessions/${SESSION}/verify`]: { digest: 'd' },
  [`/api/sessions/${SESSION}/blind`]: { enabled: true, revealedAt: null, revealRequests: [] },
  [`/api/sessions/${SESSION}/blind/observations`]: [],
};
let sent: { path: string; background: string | undefined }[] = [];

beforeEach(() => {
  sent = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    sent.push({ path, background: (init.headers as Record<string, string>)[BACKGROUND_HEADER] });
    return new Response(JSON.stringify(answers[path] ?? {}), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A provider over one query client for the whole test (the hooks' reads again go through it). */
function providerOf() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** The paths read so far, each with whether it carried the background header. */
const reads = () => sent.map((s) => [s.path.replace(`/api/sessions/${SESSION}/`, ''), s.background]);

describe('a page’s own polls are marked as background', () => {
  it('marks the note page’s reads of the signed record and its digest, first and again on a change', async () => {
    const hook = renderHook((props: { refreshKey: string }) => useSessionRecord(SESSION, { enabled: true, refreshKey: props.refreshKey, pollMs: null }), {
      wrapper: providerOf(),
      initialProps: { refreshKey: 'ended' },
    });
    await waitFor(() => expect(hook.result.current.state.status).toBe('ok'));
    hook.rerender({ refreshKey: 'signed' });
    await waitFor(() => expect(sent).toHaveLength(4));
    expect(reads()).toEqual([['review?page=note', '1'], ['verify', '1'], ['review?page=note', '1'], ['verify', '1']]);
  });

  it('marks a blind session’s reads of its state and my private observations, first and again on a change', async () => {
    const hook = renderHook((props: { refreshKey: string }) => useBlind(SESSION, { isTherapist: true, refreshKey: props.refreshKey, enabled: true }), {
      wrapper: providerOf(),
      initialProps: { refreshKey: 'live' },
    });
    await waitFor(() => expect(sent).toHaveLength(2));
    hook.rerender({ refreshKey: 'live, changed' });
    await waitFor(() => expect(sent).toHaveLength(4));
    expect(reads()).toEqual([['blind', '1'], ['blind/observations', '1'], ['blind', '1'], ['blind/observations', '1']]);
  });
});
