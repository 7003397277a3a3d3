import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, noteText, openSessionAs } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

/** Both therapists typing at a person's pace at once, each where their caret is. */
const together = (a: Page, b: Page, aText: string, bText: string) =>
  Promise.all([a.keyboard.type(aText, { delay: 150 }), b.keyboard.type(bText, { delay: 170 })]);

/**
 * Two therapists writing at one spot at the same moment. A clinic walk (1 Dec) saw each one's
 * letters go in among the other's ("Barla writes here.en writes there.C"), five times in five, and
 * a co-therapist's words land in the next section: the editor's Yjs binding put each caret back by
 * offset, not after the letter it followed (client/editor/caretOnRemoteEdits.ts).
 */
describe.skipIf(!hasChromium)('browser: both therapists typing at one spot at once', () => {
  const ctx = useBrowserSession('individual');
  const line = (page: Page, heading: string) => page.locator(`.ProseMirror h2:has-text("${heading}") + p`);
  /** The words of the line under `heading`, without the other therapist's caret label. */
  const words = async (page: Page, heading: string) => {
    const lines = (await noteText(page)).split('\n');
    return lines[lines.indexOf(heading) + 1] ?? '';
  };

  it('keeps each one’s words whole, in an empty line and at the end of a written one, and in that line', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    const same = async () => (await noteText(a)) === (await noteText(b));

    // One empty line, both carets in it.
    await line(a, 'Subjective').click();
    await line(b, 'Subjective').click();
    await together(a, b, 'Alex writes here.', 'Blair writes there.');
    await expect.poll(same, POLL).toBe(true);
    const subjective = await words(a, 'Subjective');
    // Each one's words whole. Not asserted: that no letter is doubled. When both write the first
    // letters of an empty line at the same moment, each page makes the line's text of its own and
    // the binding can write one first letter twice (seen once in CI under load: "…here.BBlair…";
    // yjs/y-prosemirror#161 is the same).
    expect(subjective).toContain('Alex writes here.');
    expect(subjective).toContain('Blair writes there.');

    // The end of that line, now written.
    await line(a, 'Subjective').click();
    await a.keyboard.press('End');
    await line(b, 'Subjective').click();
    await b.keyboard.press('End');
    await together(a, b, ' Alex again.', ' Blair again.');
    await expect.poll(same, POLL).toBe(true);
    const both = await words(a, 'Subjective');
    expect(both).toContain(' Alex again.');
    expect(both).toContain(' Blair again.');

    // The walk's second case: one starts, the other goes on a moment later without clicking again.
    await line(a, 'Objective').click();
    await line(b, 'Objective').click();
    await a.keyboard.type('Alex first.', { delay: 120 });
    await b.keyboard.type('Blair second.', { delay: 120 });
    await expect.poll(same, POLL).toBe(true);
    const objective = await words(a, 'Objective');
    expect(objective).toContain('Alex first.');
    expect(objective).toContain('Blair second.');
    expect(await words(a, 'Assessment')).toBe('');
  });

  it('keeps each one’s words whole when one types the letter the other’s words begin with, at her caret', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await line(b, 'Plan').click();
    await b.keyboard.type('Blair plans.');
    await expect.poll(() => words(a, 'Plan'), POLL).toBe('Blair plans.');
    await line(a, 'Plan').click();
    await a.keyboard.press('End');
    await line(b, 'Plan').click();
    await b.keyboard.press('End');
    // Alex's space reaches Blair's page while her caret stands after her own last letter, before
    // his space; she types a space and words there, then he goes on after his space. The same
    // order of arrivals, by chance, made "there. Alex again.Blair again. " in CI (5 Dec).
    await a.keyboard.type(' ');
    await expect.poll(() => words(b, 'Plan'), POLL).toBe('Blair plans. ');
    await b.keyboard.type(' Blair again.');
    await expect.poll(() => words(a, 'Plan'), POLL).toBe('Blair plans. Blair again. ');
    await a.keyboard.type('Alex again.');
    await expect.poll(async () => (await noteText(a)) === (await noteText(b)), POLL).toBe(true);
    expect(await words(a, 'Plan')).toBe('Blair plans. Blair again. Alex again.');
  });

  // Bold switched off came back on the next letter once the co-therapist's words landed in between:
  // ProseMirror forgets the formatting chosen at the caret with any change of the note (walk, 5 Dec;
  // client/editor/storedMarksAcrossRemoteEdits.ts).
  it('keeps bold off once switched off, when the co-therapist’s words arrive before the next letter', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await line(a, 'Assessment').click();
    await a.keyboard.type('Plain ');
    await a.keyboard.press('Control+b');
    await a.keyboard.type('bold');
    await a.keyboard.press('Control+b');
    await expect.poll(() => words(b, 'Assessment'), POLL).toBe('Plain bold');
    await line(b, 'Assessment').click();
    // At the start of the line: letters typed after bold ones are bold, for her as for anyone.
    await b.keyboard.press('Home');
    await b.keyboard.type('Blair. ');
    await expect.poll(() => words(a, 'Assessment'), POLL).toBe('Blair. Plain bold');
    await a.keyboard.type(' after');
    await expect.poll(() => words(b, 'Assessment'), POLL).toBe('Blair. Plain bold after');
    for (const page of [a, b]) expect(await line(page, 'Assessment').locator('strong').allInnerTexts()).toEqual(['bold']);
  });
});

/**
 * The same in a list item and in a quote (walk, 5 Dec): typing at the caret kept the binding's
 * record of the item's size from before, and the next position past the item's end went into the
 * heading after it ("ex list.Objective").
 */
describe.skipIf(!hasChromium)('browser: both therapists typing at one spot of a list item or a quote', () => {
  const ctx = useBrowserSession('individual');

  it('keeps each one’s words whole there, and the heading after as it was', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    const same = async () => (await noteText(a)) === (await noteText(b));
    const headings = async (page: Page) => page.locator('.ProseMirror h2').allInnerTexts();
    /** The words of the first line matching `selector` holding `words`, without the other's caret and its label. */
    const lineText = (page: Page, selector: string, words: string) =>
      page.locator(selector, { hasText: words }).first().evaluate((line) => {
        const copy = line.cloneNode(true) as HTMLElement;
        for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
        return copy.textContent ?? '';
      });
    const first = await headings(a);

    await a.locator('.ProseMirror h2:has-text("Subjective") + p').click();
    await a.keyboard.type('- item one');
    await expect.poll(() => noteText(b), POLL).toContain('item one');
    for (const page of [a, b]) {
      await page.locator('.ProseMirror li p', { hasText: 'item one' }).click();
      await page.keyboard.press('End');
    }
    await together(a, b, ' Alex list.', ' Blair list.');
    await expect.poll(same, POLL).toBe(true);
    const item = await lineText(a, '.ProseMirror li p', 'item one');
    expect(item).toContain(' Alex list.');
    expect(item).toContain(' Blair list.');
    expect(await headings(a)).toEqual(first);

    await a.locator('.ProseMirror h2:has-text("Objective") + p').click();
    await a.keyboard.type('> quote text');
    await expect.poll(() => noteText(b), POLL).toContain('quote text');
    await a.locator('.ProseMirror blockquote p', { hasText: 'quote text' }).click();
    await a.keyboard.press('End');
    await b.locator('.ProseMirror blockquote p', { hasText: 'quote text' }).click();
    await b.keyboard.press('Home');
    await together(a, b, ' Alex end.', 'Blair start. ');
    await expect.poll(same, POLL).toBe(true);
    expect(await lineText(a, '.ProseMirror blockquote p', 'quote text')).toBe('Blair start. quote text Alex end.');
    expect(await headings(a)).toEqual(first);
  });
  it('writes words typed right after the co-therapist’s tagged words, and leaves her observation as it was', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await a.locator('.ProseMirror h2:has-text("Plan") + p').click();
    await a.keyboard.type('Before. Tagged words');
    for (let i = 0; i < 'Tagged words'.length; i++) await a.keyboard.press('Shift+ArrowLeft');
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    await a.keyboard.type('aff');
    await a.keyboard.press('Enter');
    await expect.poll(() => b.locator('.ProseMirror [data-observation]').allInnerTexts(), POLL).toEqual(['Tagged words']);

    await b.locator('.ProseMirror p', { hasText: 'Tagged words' }).click();
    await b.keyboard.press('End');
    await b.keyboard.type(' Blair end.');
    await expect.poll(() => b.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect(await b.getByTestId('refusal-notice').count()).toBe(0);
    await expect.poll(() => noteText(a), POLL).toContain('Before. Tagged words Blair end.');
    expect(await a.locator('.ProseMirror [data-observation]').allInnerTexts()).toEqual(['Tagged words']);
  });
});
