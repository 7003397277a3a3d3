import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, openAnonymous, openPageAs, saveScreenshot } from './browser';
import { useBrowserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);
const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const DARK_BG = 'rgb(18, 22, 27)';
const LIGHT_BG = 'rgb(245, 246, 248)';

describe.skipIf(!hasChromium)('browser: dark mode for dim rooms', () => {
  const ctx = useBrowserClinic();

  it('follows the device, and the toggle overrides it and is remembered', async () => {
    // A device set to dark: dark from the login page on, with nothing chosen.
    const dim = await openAnonymous(ctx.browser, `${ctx.server.baseUrl}/login`, { colorScheme: 'dark' });
    await dim.getByTestId('login-email').waitFor();
    expect(await theme(dim)).toBe('dark');
    expect(await pageBackground(dim)).toBe(DARK_BG);
    await saveScreenshot(dim, 'dark-login');
    await dim.context().close();

    // A light device: the toggle turns it dark, and it stays dark after a reload.
    const page = await openPageAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, '/', 'session-title-input', { colorScheme: 'light' });
    expect(await theme(page)).toBe('light');
    expect(await page.getByTestId('theme-toggle').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => pageBackground(page), POLL).toBe(DARK_BG);
    expect(await page.getByTestId('theme-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('theme-toggle').innerText()).toContain('Dark mode: on');
    await page.reload();
    await page.getByTestId('session-title-input').waitFor();
    expect(await theme(page)).toBe('dark');
    expect(await pageBackground(page)).toBe(DARK_BG);

    // Paper is printed light whatever the screen shows.
    await page.emulateMedia({ media: 'print' });
    expect(await pageBackground(page)).toBe('rgb(255, 255, 255)');
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(29, 39, 51)');
    await page.emulateMedia({ media: 'screen' });

    // Back to the device's setting from the account menu.
    await page.getByTestId('account-menu').click();
    await page.getByTestId('theme-device').click();
    await expect.poll(() => theme(page), POLL).toBe('light');
    expect(await pageBackground(page)).toBe(LIGHT_BG);
    await page.reload();
    await page.getByTestId('session-title-input').waitFor();
    expect(await theme(page)).toBe('light');
  }, 60_000);
});
