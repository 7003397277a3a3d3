import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, openSessionAs, saveScreenshot } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

/** Where the note's first line is on the screen, px from the top of the page. */
const firstLineTop = (page: Page) => page.locator('.ProseMirror > *').first().evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

describe.skipIf(!hasChromium)('browser: the note stays where it is when the co-therapist comes and goes', () => {
  const ctx = useBrowserSession('group');

  it('does not move the note under a clinician’s pointer when someone joins or leaves', async () => {
    // Long names, as in a clinic: the list of who is here is what used to wrap and push the note down.
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    await expect.poll(() => a.getByTestId('presence-person').count(), POLL).toBe(1);
    const alone = await firstLineTop(a);

    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await expect.poll(() => a.getByTestId('presence-person').count(), POLL).toBe(2);
    await saveScreenshot(a, 'still-note-two-present');
    expect(await firstLineTop(a)).toBe(alone);

    await b.context().close();
    await expect.poll(() => a.getByTestId('presence-person').count(), POLL).toBe(1);
    expect(await firstLineTop(a)).toBe(alone);
    await a.context().close();
  }, 120_000);
});
