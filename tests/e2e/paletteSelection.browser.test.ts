import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { POLL, chromiumAvailable, editorFocused, editorSelection, noteText, openSessionAs, saveScreenshot, typeInParagraph } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

/** Slows the page's CPU down the way a tired laptop is (DevTools protocol). */
async function slowDown(page: Page, rate: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/**
 * B writes at a person's pace (about eight keys a second) in `paragraph` until `done` says stop,
 * so A's keys land between B's changes arriving.
 */
function keepTyping(page: Page, paragraph: number, done: () => boolean): Promise<void> {
  return (async () => {
    await typeInParagraph(page, paragraph, '');
    for (let n = 0; !done(); n++) await page.keyboard.type(`word${n} `, { delay: 120 });
  })();
}

/** The heading's box and the filter's box: the heading must be whole and above the filter. */
function headingLayout(page: Page) {
  return page.getByTestId('tag-palette').evaluate((box) => {
    const heading = box.querySelector('.palette__heading') as HTMLElement;
    const filter = box.querySelector('.palette__filter') as HTMLElement;
    return {
      clipped: heading.scrollHeight > heading.clientHeight + 1,
      height: heading.getBoundingClientRect().height,
      gap: filter.getBoundingClientRect().top - heading.getBoundingClientRect().bottom,
      insideWindow: box.getBoundingClientRect().bottom <= window.innerHeight && box.getBoundingClientRect().top >= 0,
    };
  });
}

/**
 * Puts the caret at the end of the line reading `line` and presses `keys`, until the note says
 * `done`. Seen here: B's keys changed the note's first heading instead of that line. The cause was
 * the note moving under the pointer when a co-therapist came or went (fixed in the session header,
 * tested by stillNote.browser.test.ts); each try still checks where the caret is and what the keys
 * did, so this test stays about the palette.
 */
async function editLineEnd(page: Page, line: string, keys: () => Promise<void>, done: (text: string) => boolean): Promise<void> {
  await expect.poll(async () => {
    const text = await noteText(page);
    if (done(text)) return true;
    await page.locator('.ProseMirror p', { hasText: line }).click();
    await page.keyboard.press('End');
    const at = await page.evaluate(() => {
      const node = window.getSelection()?.anchorNode ?? null;
      const element = node instanceof Element ? node : node?.parentElement;
      return element?.closest('p')?.textContent ?? null;
    });
    if (at === line) await keys();
    return done(await noteText(page));
  }, POLL).toBe(true);
}

/**
 * Selects the line reading `words` (a click in it, End, Shift+Home), again until the editor holds
 * it selected. Seen in CI on the slowed CPU: the click landed in B's line above, which had just
 * wrapped onto another row as he typed, and "wor" of his words was selected instead.
 */
async function selectLine(page: Page, words: string): Promise<void> {
  await expect.poll(async () => {
    await page.locator('.ProseMirror p', { hasText: words }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    // ProseMirror reads the page's selection back a moment later (on a slowed CPU, several polls later).
    try {
      await expect.poll(() => editorSelection(page), { timeout: 5_000, interval: 100 }).toBe(words);
      return true;
    } catch {
      return false;
    }
  }, { timeout: 30_000, interval: 100 }).toBe(true);
}

describe.skipIf(!hasChromium)('browser: the tag palette holds its selection while the co-therapist writes', () => {
  const ctx = useBrowserSession('group', ['M1', 'M2']);

  const review = async () => (await ctx.clinic.a.api.get<ReviewView>(`/api/sessions/${ctx.sessionId}/review`)).body;

  it('on a slowed CPU, tags exactly the selected words while B types above them', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await slowDown(a, 4);

    const lines = ['M1 turned away from JD.', 'M2 laughed at the wrong moment.', 'JD left the room twice.'];
    for (const [round, words] of lines.entries()) await typeInParagraph(a, 2 + round, words);
    await expect.poll(() => noteText(b), POLL).toContain(lines.at(-1));
    // B writes above A's lines all through A selecting, opening the palette and choosing.
    let finished = false;
    const typing = keepTyping(b, 1, () => finished);
    for (const [round, words] of lines.entries()) {
      await selectLine(a, words);
      await a.keyboard.press('Control+k');
      await a.getByTestId('tag-palette').waitFor();
      expect(await a.locator('.palette__heading').innerText()).toBe(`Tag “${words}”`);
      await a.keyboard.press('n'); // Nonverbal
      await a.keyboard.press('1'); // M1
      await expect.poll(() => noteText(a), POLL).toMatch(/word\d+/);
      if (round === 0) {
        expect(await headingLayout(a)).toMatchObject({ clipped: false, insideWindow: true });
        expect((await headingLayout(a)).gap).toBeGreaterThanOrEqual(0);
        await saveScreenshot(a, 'palette-held-selection');
      }
      await a.keyboard.press('Shift+Enter'); // tag and flag
      await expect.poll(() => a.getByTestId('tag-palette').count(), POLL).toBe(0);
      await expect.poll(() => editorFocused(a), POLL).toBe(true);
    }
    finished = true;
    await typing;

    // Every observation is a span over exactly its words: no stray tagged line, no lost words.
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const marks = await a.locator('.ProseMirror [data-observation]').allInnerTexts();
    expect(marks).toEqual(lines);
    await expect.poll(async () => (await review()).observations.map((o) => [o.kind, o.quote, o.member, o.forCoTherapist]), POLL).toEqual(
      lines.map((l) => ['span', l, 'M1', true]),
    );
    await a.context().close();
    await b.context().close();
  }, 120_000);

  it('writes nothing when the selected words are changed or removed meanwhile, and says why', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    const before = (await review()).observations.length;
    const words = 'M2 stared at the floor.';
    await typeInParagraph(a, 5, words);
    await expect.poll(() => noteText(b), POLL).toContain(words);
    await a.keyboard.press('Shift+Home');
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    await a.keyboard.press('a');

    // B changes a word inside A's selection: the palette says so at once, and Enter writes nothing.
    await editLineEnd(b, words, async () => {
      await b.keyboard.press('Backspace');
      await b.keyboard.type('!');
    }, (text) => text.includes('M2 stared at the floor!'));
    await expect.poll(() => noteText(a), POLL).toContain('the floor!');
    await expect.poll(() => a.getByTestId('palette-problem').innerText(), POLL).toContain('changed meanwhile');
    await a.keyboard.press('Enter');
    expect(await a.getByTestId('tag-palette').count()).toBe(1);
    await saveScreenshot(a, 'palette-selection-changed');

    // B removes the line: the palette says the words are gone.
    await editLineEnd(b, 'M2 stared at the floor!', async () => {
      await b.keyboard.press('Shift+Home');
      await b.keyboard.press('Backspace');
    }, (text) => !text.includes('M2 stared at the floor'));
    await expect.poll(() => a.getByTestId('palette-problem').innerText(), POLL).toContain('removed');
    await a.keyboard.press('Enter');
    expect(await a.getByTestId('tag-palette').count()).toBe(1);
    await a.keyboard.press('Escape');
    await expect.poll(() => a.getByTestId('tag-palette').count(), POLL).toBe(0);

    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await expect.poll(() => b.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect((await review()).observations).toHaveLength(before);
    expect(await a.locator('.ProseMirror [data-observation]').count()).toBe(before);
  }, 90_000);
  it('opens over none of a selection of two lines at the bottom of the window', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    await a.setViewportSize({ width: 1100, height: 560 });
    const last = (await a.locator('.ProseMirror p').count()) - 1;
    await typeInParagraph(a, last, 'M2 looked at the door for a long while, then at JD and back.');
    await a.keyboard.press('Enter');
    await a.keyboard.type('M2 said nothing.');
    await a.locator('.ProseMirror p', { hasText: 'M2 looked at the door for' }).click();
    await a.keyboard.press('Home');
    await a.keyboard.press('Shift+ArrowDown');
    await a.keyboard.press('Shift+End');
    // The two lines at the very bottom of the window: no room below them for the palette.
    await a.evaluate(() => window.getSelection()?.focusNode?.parentElement?.scrollIntoView({ block: 'end' }));
    // The selected lines' boxes, read before the palette takes the focus (and the page's selection).
    const lines = await a.evaluate(() => [...(window.getSelection()?.getRangeAt(0).getClientRects() ?? [])].filter((l) => l.width > 0).map((l) => ({ top: l.top, bottom: l.bottom, left: l.left, right: l.right })));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    const box = await a.getByTestId('tag-palette').evaluate((el) => el.getBoundingClientRect().toJSON() as { top: number; bottom: number; left: number; right: number });
    const covered = lines.some((l) => l.top < box.bottom && l.bottom > box.top && l.left < box.right && l.right > box.left);
    expect(covered).toBe(false);
    await saveScreenshot(a, 'palette-above-two-lines');
    await a.keyboard.press('Escape');
    await a.context().close();
  }, 60_000);
});
