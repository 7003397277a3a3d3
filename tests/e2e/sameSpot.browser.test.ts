import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, noteText, openSessionAs } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

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
  const together = (a: Page, b: Page, aText: string, bText: string) =>
    Promise.all([a.keyboard.type(aText, { delay: 150 }), b.keyboard.type(bText, { delay: 170 })]);

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
});
