import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { createSession } from '../helpers/api';
import { POLL, chromiumAvailable, editorFocused, editorSelectionState, noteText, openPageAs, openSessionAs, saveScreenshot, tagNextLine, typeInParagraph } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

/** The quote each observation shows in the live panel, by observation id. */
function panelQuotes(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('observation-item').evaluateAll((items) =>
    Object.fromEntries(items.map((li) => [li.getAttribute('data-observation-id'), (li.querySelector('.obs-item__quote') as HTMLElement).innerText])),
  );
}

describe.skipIf(!hasChromium)('browser: a tagged line at the cursor keeps the words written after it', () => {
  const ctx = useBrowserSession('group');

  const review = async () => (await ctx.clinic.a.api.get<ReviewView>(`/api/sessions/${ctx.sessionId}/review`)).body;

  it('tags at the cursor on the same line; the live panel, the other therapist and the review show the same words', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);

    // A is writing a line, tags what comes next, and goes on writing.
    await typeInParagraph(a, 1, 'M2 arrived late.');
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    expect(await a.locator('.palette__heading').innerText()).toBe('Tag what you write next');
    await a.keyboard.press('f'); // Follow-up, by its letter
    await a.keyboard.press('Enter');
    await expect.poll(() => a.getByTestId('tag-palette').count(), POLL).toBe(0);
    // Tiptap gives the keyboard back to the note on the next frame: wait for it before typing.
    await expect.poll(() => editorFocused(a), POLL).toBe(true);
    await a.keyboard.type('She asked about next week.');
    await a.keyboard.press('Enter');
    await a.keyboard.type('JD was quiet.');

    // The marker sits on A's line (the line is not split); the new paragraph after it is not part of it.
    await expect.poll(() => noteText(a), POLL).toContain('M2 arrived late. Follow-up — She asked about next week.\nJD was quiet.');
    const marker = a.locator('.ProseMirror [data-observation]');
    expect(await marker.innerText()).toBe('Follow-up — ');
    const id = (await marker.getAttribute('data-observation'))!;
    // The words are shown as part of the observation, and are what every view quotes.
    await expect.poll(() => a.locator(`.ProseMirror [data-observation-words="${id}"]`).allInnerTexts(), POLL).toEqual(['She asked about next week.']);
    await expect.poll(() => panelQuotes(a), POLL).toEqual({ [id]: '“She asked about next week.”' });
    await expect.poll(() => panelQuotes(b), POLL).toEqual({ [id]: '“She asked about next week.”' });
    await expect.poll(() => b.locator(`.ProseMirror [data-observation-words="${id}"]`).allInnerTexts(), POLL).toEqual(['She asked about next week.']);
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await expect.poll(async () => (await review()).observations.map((o) => [o.kind, o.quote]), POLL).toEqual([['line', 'She asked about next week.']]);
    await saveScreenshot(a, 'line-tag-live');

    // In the middle of a word, nothing selected: the palette names that word and tags it, and the
    // line stays as written (a marker there took the rest of the line: walk, 6 Dec).
    await a.locator('.ProseMirror p', { hasText: 'JD was quiet.' }).click();
    await a.keyboard.press('End');
    for (let i = 0; i < 'uiet.'.length; i++) await a.keyboard.press('ArrowLeft');
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    expect(await a.locator('.palette__heading').innerText()).toBe('Tag “quiet”');
    expect(await a.locator('.palette__note').innerText()).toContain('The word at the cursor.');
    await a.keyboard.press('n'); // Nonverbal
    await a.keyboard.press('Enter');
    await expect.poll(() => a.locator('.ProseMirror [data-observation]').allInnerTexts(), POLL).toEqual(['Follow-up — ', 'quiet']);
    expect(await noteText(a)).toContain('\nJD was quiet.');
    await expect.poll(() => editorFocused(a), POLL).toBe(true);
    // With nothing after the cursor, the panel says nothing is written yet, until A writes.
    await a.keyboard.press('End');
    // The editor reads the browser's caret move a moment later; Enter splits where the editor thinks it is.
    await expect.poll(async () => (await editorSelectionState(a)).atBlockEnd, POLL).toBe(true);
    await a.keyboard.press('Enter');
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    await a.keyboard.press('a');
    await a.keyboard.press('Enter');
    const newest = a.getByTestId('observation-item').first();
    await expect.poll(() => newest.locator('.obs-item__quote').innerText(), POLL).toBe('Nothing written after the tag yet');
    await expect.poll(() => editorFocused(a), POLL).toBe(true);
    await a.keyboard.type('M1 smiled');
    await expect.poll(() => newest.locator('.obs-item__quote').innerText(), POLL).toBe('“M1 smiled”');
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect((await review()).observations.map((o) => [o.kind, o.quote])).toEqual([['line', 'She asked about next week.'], ['span', 'quiet'], ['line', 'M1 smiled']]);

    // The review page quotes the same words.
    const page = await openPageAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, `/sessions/${ctx.sessionId}/review`, 'review-page');
    await expect.poll(() => page.getByTestId('observation-show').allInnerTexts(), POLL).toEqual(['“She asked about next week.”', '“quiet”', '“M1 smiled”']);
    // Its note underlines each line's words with the marker, as the editor does.
    const underlined = await page.locator('.rn-run--observed').allInnerTexts();
    expect(underlined.join('')).toContain('She asked about next week.');
    expect(underlined.join('')).toContain('M1 smiled');
    expect(underlined.join('')).not.toContain('M2 arrived late.');
    await saveScreenshot(page, 'line-tag-review');
  }, 90_000);

  // A walk (4 Dec, M5): tagged at the start of B's sentence, A's observation took B's words as its own.
  it('tags at the start of a line that has words on an empty line of its own before it, leaving those words as written', async () => {
    const { clinic, server, browser } = ctx;
    const sessionId = await createSession(clinic, 'group');
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, sessionId);
    await typeInParagraph(b, 1, 'JD left the room twice.');
    await expect.poll(() => noteText(a), POLL).toContain('JD left the room twice.');

    await a.locator('.ProseMirror p', { hasText: 'JD left the room twice.' }).click();
    await a.keyboard.press('Home');
    await expect.poll(async () => (await editorSelectionState(a)).atBlockStart, POLL).toBe(true);
    await tagNextLine(a, 'f'); // Follow-up
    await a.keyboard.type('Ask JD about it next week.');

    await expect.poll(() => noteText(a), POLL).toContain('Follow-up — Ask JD about it next week.\nJD left the room twice.');
    const id = (await a.locator('.ProseMirror [data-observation]').getAttribute('data-observation'))!;
    await expect.poll(() => panelQuotes(a), POLL).toEqual({ [id]: '“Ask JD about it next week.”' });
    await expect.poll(() => panelQuotes(b), POLL).toEqual({ [id]: '“Ask JD about it next week.”' });
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const observations = (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.observations;
    expect(observations.map((o) => [o.kind, o.quote])).toEqual([['line', 'Ask JD about it next week.']]);
  });
});
