import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable } from './browser';
import { useBrowserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('browser: who is using the app', () => {
  const ctx = useBrowserClinic();

  // Each "Try again" asks the server who is signed in. The answer to an earlier one, out longer
  // than a later one, decided anyway: the login page came, then "could not reach its server"
  // replaced it.
  it('keeps the login page when an earlier Try again fails after a later one reached the server', { timeout: 60_000 }, async () => {
    const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
    let reads = 0;
    let slow: Route | null = null;
    await context.route(/\/api\/me$/, async (route) => {
      reads++;
      // The page's first read finds no server; the second is out until the test fails it; later ones go through.
      if (reads === 1) await route.abort();
      else if (reads === 2) slow = route;
      else await route.continue();
    });
    const page = await context.newPage();
    await page.goto(`${ctx.server.baseUrl}/`);
    const tryAgain = page.getByRole('button', { name: 'Try again' });
    await tryAgain.click();
    await expect.poll(() => slow !== null, POLL).toBe(true);
    await tryAgain.click();
    await page.getByTestId('login-email').waitFor();

    await slow!.abort();
    await page.getByTestId('login-email').fill(ctx.clinic.a.email);
    await page.getByTestId('login-password').fill(ctx.clinic.a.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('review-queue').waitFor();
    expect(await page.getByText('could not reach its server').count()).toBe(0);
    await context.close();
  });
});
