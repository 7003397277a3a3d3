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
    // Measured once the note is saved and settled: in one loaded CI run the first line stood 22.5 px
    // lower at a measure taken right after opening (not reproduced in 20 tries here, under load too).
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const alone = await firstLineTop(a);

    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await expect.poll(() => a.getByTestId('presence-person').count(), POLL).toBe(2);
    await saveScreenshot(a, 'still-note-two-present');
    // Polled: a shift that lasts (the wrapped presence row this guards against) still fails it.
    await expect.poll(() => firstLineTop(a), POLL).toBe(alone);

    await b.context().close();
    await expect.poll(() => a.getByTestId('presence-person').count(), POLL).toBe(1);
    await expect.poll(() => firstLineTop(a), POLL).toBe(alone);
    await a.context().close();
  }, 120_000);
});
