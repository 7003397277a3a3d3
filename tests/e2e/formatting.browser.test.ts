import { describe, expect, it } from 'vitest';
import type { ReviewBlock, ReviewView } from '../../shared/domain/review';
import { createSession } from '../helpers/api';
import { POLL, chromiumAvailable, editorSelectionState, openSessionAs, saveScreenshot } from './browser';
import { useBrowserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

const flatten = (blocks: ReviewBlock[]): ReviewBlock[] => blocks.flatMap((b) => [b, ...flatten(b.children)]);

/**
 * The server judges every element, attribute and mark against the note's schema: whatever the
 * real editor writes must pass. Every formatting a therapist can reach from the keyboard, typed in
 * Chromium, must reach "Saved" and be in the stored note.
 */
describe.skipIf(!hasChromium)('browser: every formatting the editor offers is accepted by the server', () => {
  const ctx = useBrowserClinic();

  it('saves headings, lists, quotes, code, rules, breaks, marks and links', async () => {
    const sessionId = await createSession(ctx.clinic);
    const page = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, sessionId);
    // Typed once the editor itself holds the caret in the clicked empty line. Keys sent at once
    // after the click went, now and then, to the caret the editor held before it (the start of the
    // note, in its first heading): full runs and fresh-clone CI, 5 Dec. Likely the editor had not
    // yet read the click's caret, which the page showed in the line. Not this test's subject (see
    // the closing note); on failure the messages below print the page and the stored note.
    await expect.poll(() => page.locator('.ProseMirror h2').first().innerText(), POLL).toBe('Attendance');
    await page.locator('.ProseMirror p').first().click();
    await expect.poll(() => editorSelectionState(page), POLL).toMatchObject({ atBlockStart: true, atBlockEnd: true });
    const k = page.keyboard;
    const line = async (keys: string[], text: string) => {
      await k.press('Enter');
      for (const key of keys) await k.press(key);
      await k.type(text);
    };
    await line(['Control+Alt+3'], 'A third-level heading');
    await line(['Control+Alt+0'], 'Back to a paragraph');
    await line(['Control+Shift+8'], 'a bullet');
    await line([], 'a second bullet');
    await k.press('Enter');
    await k.press('Enter');
    await line(['Control+Shift+7'], 'a numbered item');
    await k.press('Enter');
    await k.press('Enter');
    await line(['Control+Shift+B'], 'a quote');
    await k.press('Enter');
    await k.press('Enter');
    await line(['Control+Alt+C'], 'const code = 1;');
    await k.press('Enter');
    await k.press('Enter');
    await k.press('Enter');
    await k.type('---');
    await k.type('after the rule');
    await k.press('Shift+Enter');
    await k.type('after a break ');
    for (const [key, word] of [['Control+B', 'bold'], ['Control+I', 'italic'], ['Control+U', 'underlined'], ['Control+Shift+S', 'struck'], ['Control+E', 'code']] as const) {
      await k.press(key);
      await k.type(word);
      await k.press(key);
      await k.type(' ');
    }
    await k.type('see https://example.org/guide ');

    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await saveScreenshot(page, 'formatting-saved');
    const review = (await ctx.clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    const blocks = flatten(review.blocks);
    const types = new Set(blocks.map((b) => b.type));
    const pageHtml = await page.locator('.ProseMirror').innerHTML();
    const storedText = blocks.map((b) => `${b.type}:${b.runs.map((r) => r.text).join('')}`).join(' | ');
    for (const type of ['heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock', 'horizontalRule']) expect(types, `${type}\nPAGE ${pageHtml}\nSTORED ${storedText}`).toContain(type);
    expect(blocks.find((b) => b.type === 'heading' && b.runs.some((r) => r.text.includes('third-level')))?.attrs).toMatchObject({ level: 3 });
    const marks = new Set(blocks.flatMap((b) => b.runs.flatMap((r) => r.marks)));
    for (const mark of ['bold', 'italic', 'underline', 'strike', 'code', 'link']) expect(marks, mark).toContain(mark);
  });
});
