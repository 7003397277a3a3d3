import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, openSessionAs, saveScreenshot } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

const PLAN = 'Call M1 before Thursday; crisis line card given; review at the start of next session; her daughter knows the plan.';

describe.skipIf(!hasChromium)('browser: a risk record reads whole in the side column', () => {
  const ctx = useBrowserSession('group', ['M1']);

  // A walk (6 Dec): a three-line safety plan stood in a two-row field, its end cut off and read only
  // by scrolling inside the field, and so on the locked note, where nobody edits it.
  it('grows the safety plan field to its words instead of cutting them off', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    await a.locator('.ProseMirror h2', { hasText: 'Risk' }).click();
    await a.keyboard.press('End');
    await a.keyboard.press('Enter');
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    await a.keyboard.type('risk');
    await a.keyboard.press('1');
    await a.keyboard.press('Enter');
    await a.keyboard.type('M1 spoke of being a burden.');
    const plan = a.getByTestId('risk-plan-M1');
    await plan.waitFor();
    await plan.fill(PLAN);
    await saveScreenshot(a, 'risk-plan-whole');
    await expect.poll(() => plan.evaluate((el) => el.scrollHeight - el.clientHeight), POLL).toBeLessThanOrEqual(0);
    await a.context().close();
  }, 120_000);
});
