import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, openSessionAs } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('browser: a page that cannot load says so', () => {
  const ctx = useBrowserSession('individual');

  it('shows a message with a reload button when the session page code cannot be fetched, and the reload opens the note', async () => {
    // Without the service worker (the tests' default) the page's code comes from the network, where it can be cut off.
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const chunk = '**/assets/SessionPage-*.js';
    let refused = 0;
    await a.route(chunk, (route) => {
      refused++;
      return route.abort('internetdisconnected');
    });
    await a.reload();
    await expect.poll(() => a.getByTestId('page-error').innerText(), POLL).toContain('This page could not be loaded');
    expect(refused).toBeGreaterThan(0);
    // The frame stays usable: the way back to the sessions is still there.
    expect(await a.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);

    await a.unroute(chunk);
    await a.getByTestId('page-error-reload').click();
    await a.locator('.ProseMirror').waitFor(POLL);
    expect(await a.getByTestId('page-error').count()).toBe(0);
    await a.context().close();
  }, 120_000);
});
