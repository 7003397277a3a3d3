import { describe, expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { POLL, chromiumAvailable, openPageAs, saveScreenshot } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();
const LINE = 'The client described the week as heavy.';

describe.skipIf(!hasChromium)('browser: a supervisor comments on a passage from the keyboard', () => {
  const ctx = useBrowserSession('individual');

  // A walk (6 Dec): commenting on a passage needed words selected with a mouse; Tab skips the note.
  it('chooses a whole line with the arrow keys, then Tab, Enter, the comment and Ctrl+Enter', async () => {
    const a = connectClient(ctx.server.baseUrl, ctx.sessionId, ctx.clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced, POLL).toBe(true);
    appendParagraph(a.doc, LINE);
    await expect.poll(() => a.isSaved(), POLL).toBe(true);
    a.destroy();
    const page = await openPageAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.supervisor, `/sessions/${ctx.sessionId}/review`, 'review-page');
    await page.getByTestId('comment-line-picker').focus();
    // The template's headings come first: down the list until the line is selected in the note.
    const quote = page.locator('.selection-bar__quote');
    for (let i = 0; i < 20 && !((await quote.count()) > 0 && (await quote.innerText()).includes(LINE)); i++) await page.keyboard.press('ArrowDown');
    expect(await quote.innerText()).toBe(`Selected: “${LINE}”`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Say more about heavy.');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.rn-run--commented').allInnerTexts(), POLL).toEqual([LINE]);
    await saveScreenshot(page, 'keyboard-comment');
    const comments = (await ctx.clinic.supervisor.api.get<CommentView[]>(`/api/sessions/${ctx.sessionId}/comments`)).body;
    expect(comments.map((c) => [c.body, c.anchor.type === 'passage' ? c.anchor.quote : null])).toEqual([['Say more about heavy.', LINE]]);
  });
});
