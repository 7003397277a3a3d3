import { lazy, Suspense } from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PageErrorBoundary } from '../../client/components/PageErrorBoundary';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

describe('PageErrorBoundary', () => {
  it('shows a reload button, not an empty page, when a lazy page cannot be fetched', async () => {
    // What a browser reports when a page chunk's request fails (Chromium's wording).
    const Page = lazy(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/SessionPage-x.js')));
    render(
      <PageErrorBoundary>
        <Suspense fallback={<p>Loading…</p>}>
          <Page />
        </Suspense>
      </PageErrorBoundary>,
    );
    expect((await screen.findByTestId('page-error')).textContent).toContain('This page could not be loaded');
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
  });

  it('says the page stopped working when it throws while rendering', () => {
    function Broken(): never {
      throw new Error('no such member');
    }
    render(
      <PageErrorBoundary>
        <Broken />
      </PageErrorBoundary>,
    );
    expect(screen.getByTestId('page-error').textContent).toContain('stopped working');
  });

  it('shows the page itself when nothing fails', () => {
    render(
      <PageErrorBoundary>
        <p>The note</p>
      </PageErrorBoundary>,
    );
    expect(screen.getByText('The note')).toBeTruthy();
    expect(screen.queryByTestId('page-error')).toBeNull();
  });
});
