/**
 * A page's own polls are not use of the login (shared/protocol/background.ts): each request a
 * page makes by itself, on a timer, carries the background header, so an open page left alone
 * idles out. The debrief's text, read again when its versions poll saw the co-therapist's save,
 * did not, and refreshed the idle clock for as long as the tab stayed open (attack, 6 Dec, round
 * two). The note's record and the blind state: pollsBackground.test.tsx.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_HEADER } from '../../shared/protocol/background';
import { useDebrief } from '../../client/features/debrief/useDebrief';

// What the device keeps of answers is not this test's matter (IndexedDB).
vi.mock('../../client/offline/deviceAnswers', () => ({ keepAnswer: async () => undefined, answerFromDevice: async () => null }));
vi.mock('../../client/offline/forgetOnDevice', () => ({ forgetRefused: async () => undefined }));
vi.mock('../../client/router', () => ({ useLeaveGuard: () => undefined }));

const SESSION = '5e55e55e-0000-4000-8000-000000000001';
interface Asked { path: string; background: boolean }
let asked: Asked[] = [];
/** The server's answer to each path the hooks ask (enough for them to go on polling). */
let answer: (path: string) => unknown = () => ({});

beforeEach(() => {
  asked = [];
  vi.useFakeTimers({ shouldAdvanceTime: true });
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    asked.push({ path, background: headers[BACKGROUND_HEADER] === '1' });
    return new Response(JSON.stringify(answer(path)), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** Lets the page sit, unused, for `ms`; returns what it asked meanwhile. */
async function leftAlone(ms: number): Promise<Asked[]> {
  const before = asked.length;
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
  return asked.slice(before);
}

describe('a page left open asks the server only in the background', () => {
  it('the debrief’s text when the co-therapist saved', async () => {
    let version = 1;
    const field = () => ({ field: 'huddle', body: `v${version}`, version, updatedBy: null, updatedByName: null, updatedAt: null, canEdit: true, earlier: [] });
    // Each ask of the versions finds the co-therapist saved again.
    answer = (path) => (path.endsWith('/versions') ? { huddle: ++version } : { sessionId: SESSION, raters: { a: null, b: null }, fields: [field()], canEdit: true });
    const hook = renderHook(() => useDebrief(SESSION), { wrapper });
    await vi.waitFor(() => expect(hook.result.current.fields.size).toBe(1));
    const polls = await leftAlone(10_000);
    expect(polls.filter((p) => !p.path.endsWith('/versions')).length).toBeGreaterThanOrEqual(2);
    expect(polls.filter((p) => !p.background)).toEqual([]);
  });
});
