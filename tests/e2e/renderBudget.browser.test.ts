import { describe, expect, it } from 'vitest';
import { serverText } from '../helpers/connectClient';
import { POLL, chromiumAvailable, openSessionAs } from './browser';
import { useBrowserSession } from './browserClinic';
import { countRendersOf, renderCount } from './renderCount';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('browser: typing re-renders only what changed', () => {
  const ctx = useBrowserSession('individual');

  it('renders the session workspace a bounded number of times while a therapist types, not once per key', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    await countRendersOf(a, 'session');
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await a.locator('.ProseMirror p').first().click();
    // The click and the caret's first placement may render; count from the first key on.
    await a.keyboard.type('x');
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const before = await renderCount(a);
    const words = 'Named two triggers.';
    await a.keyboard.type(words, { delay: 40 });
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect(await serverText(ctx.server.baseUrl, ctx.sessionId, ctx.clinic.b.api.cookie)).toContain(words);
    const renders = (await renderCount(a)) - before;
    console.log(`session workspace renders while typing ${words.length} keys: ${renders}`);
    // The counter itself works: the workspace rendered when the page opened.
    expect(before).toBeGreaterThan(0);
    expect(renders).toBeLessThanOrEqual(2);
    await a.context().close();
  }, 120_000);
});
