import { describe, expect, it } from 'vitest';
import { createSession } from '../helpers/api';
import { POLL, chromiumAvailable, openSessionAs } from './browser';
import { useBrowserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

// A walk (6 Dec, 1280 × 900): on a group session's page, the wheel over the side column scrolled
// it to its end while its last ~220 px (Who has read this note, the shortcut legend) stayed below
// the window: the column is as high as the window once it stays at the top, and before the page
// has scrolled it starts 250 px down; at its end the page did not scroll on.
describe.skipIf(!hasChromium)('browser: the session page’s side column', () => {
  const ctx = useBrowserClinic();

  it('shows its last panel to the wheel over it, from the top of the page', async () => {
    const sessionId = await createSession(ctx.clinic, 'group');
    const page = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, sessionId);
    const aside = page.locator('.session__aside');
    await page.getByTestId('group-members-panel').waitFor();
    const box = (await aside.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    const lastPanelShown = () => aside.evaluate((el) => el.lastElementChild!.getBoundingClientRect().bottom <= window.innerHeight + 1);
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, 300);
        return lastPanelShown();
      }, POLL)
      .toBe(true);
  });
});
