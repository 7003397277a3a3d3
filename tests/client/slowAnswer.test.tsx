import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiRequest } from '../../client/api/http';
import { SLOW_ANSWER_MS } from '../../client/api/slowAnswers';
import { SlowAnswerNotice } from '../../client/components/SlowAnswerNotice';

/*
 * Operator fault test, 6 Dec: with the database link crawling, "End session" answered after 46 s
 * and "Sign" after 32 s, while the page said nothing. A request of the person's that waits past
 * SLOW_ANSWER_MS is said; it is not given up, and the notice goes when the answer comes.
 */

/** Answers held until the test lets them go, by path. */
let held: Map<string, (res: Response) => void>;

beforeEach(() => {
  held = new Map();
  vi.useFakeTimers();
  vi.stubGlobal('fetch', (path: string) => new Promise<Response>((resolve) => held.set(path, resolve)));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const answer = (path: string) => held.get(path)!(new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'Content-Type': 'application/json' } }));

describe('a slow answer to what the person asked', () => {
  it('is said once it waits past the bound, as a change still on its way, and unsaid when the answer comes', async () => {
    render(<SlowAnswerNotice />);
    const signing = apiRequest('POST', '/api/sessions/s1/sign', {});
    await act(() => vi.advanceTimersByTimeAsync(SLOW_ANSWER_MS - 1));
    expect(screen.queryByTestId('slow-answer-notice')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(screen.getByTestId('slow-answer-notice').textContent).toContain('What you asked is on its way');
    await act(async () => {
      answer('/api/sessions/s1/sign');
      await signing;
    });
    expect(screen.queryByTestId('slow-answer-notice')).toBeNull();
  });

  it('says a slow read as loading, and leaves the page’s background polls out', async () => {
    render(<SlowAnswerNotice />);
    const poll = apiRequest('GET', '/api/notices', undefined, { background: true });
    await act(() => vi.advanceTimersByTimeAsync(SLOW_ANSWER_MS * 2));
    expect(screen.queryByTestId('slow-answer-notice')).toBeNull();
    const read = apiRequest('GET', '/api/sessions/s1/review');
    await act(() => vi.advanceTimersByTimeAsync(SLOW_ANSWER_MS));
    expect(screen.getByTestId('slow-answer-notice').textContent).toContain('still loading');
    await act(async () => {
      answer('/api/sessions/s1/review');
      answer('/api/notices');
      await Promise.all([read, poll]);
    });
    expect(screen.queryByTestId('slow-answer-notice')).toBeNull();
  });
});
