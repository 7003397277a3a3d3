import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, noteText, openSessionAs, saveScreenshot, typeInParagraph } from './browser';
import { sessionWithMembers, useBrowserSession } from './browserClinic';
import { connectClient } from '../helpers/connectClient';
import { tagSpan } from '../helpers/noteOps';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';

const hasChromium = chromiumAvailable();

/** The text of each marked late stretch, and the labels drawn after them. */
function lateMarks(page: Page): Promise<{ text: string; labels: string[] }> {
  return page.locator('.ProseMirror').evaluate((editor) => {
    const marked = Array.from(editor.querySelectorAll('.late-entry')) as HTMLElement[];
    // Nested decorations give one element per piece: read each character once.
    const outer = marked.filter((el) => !el.parentElement?.closest('.late-entry'));
    return {
      text: outer.map((el) => el.textContent).join(''),
      labels: marked.filter((el) => el.classList.contains('late-entry--end')).map((el) => getComputedStyle(el, '::after').content),
    };
  });
}

describe.skipIf(!hasChromium)('browser: text written after the end is marked as late in the live editor', () => {
  const ctx = useBrowserSession('group');

  it('marks late words for both therapists, with their time, and keeps the mark after a reload', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await a.getByTestId('session-start').click();
    await expect.poll(() => a.getByTestId('session-status').innerText(), POLL).toBe('Live');
    await typeInParagraph(a, 1, 'Written during the session.');
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');

    expect((await ctx.clinic.a.api.post(`/api/sessions/${ctx.sessionId}/end`)).status).toBe(200);
    await expect.poll(() => a.getByTestId('session-status').innerText(), POLL).toBe('Ended');
    await expect.poll(() => a.getByTestId('late-entry-banner').count(), POLL).toBe(1);
    await expect.poll(() => b.getByTestId('session-status').innerText(), POLL).toBe('Ended');

    await typeInParagraph(a, 1, ' Added after the end.');
    await typeInParagraph(b, 3, 'Blair remembered this later.');
    await expect.poll(() => noteText(a), POLL).toContain('Blair remembered this later.');

    for (const page of [a, b]) {
      await expect.poll(async () => (await lateMarks(page)).text, POLL).toBe(' Added after the end.Blair remembered this later.');
      const { labels } = await lateMarks(page);
      expect(labels).toHaveLength(2);
      for (const label of labels) expect(label).toMatch(/^"late entry, \d\d:\d\d( [AP]M)?"$/);
    }
    // The label is drawn, not written: the note's text is what was typed.
    expect(await noteText(a)).toContain('Written during the session. Added after the end.\n');
    // An observation made after the end is a late entry in the live list too, as in the review (walk, 4 Dec).
    const tagger = connectClient(ctx.server.baseUrl, ctx.sessionId, ctx.clinic.b.api.cookie);
    await expect.poll(() => tagger.provider.synced, POLL).toBe(true);
    tagSpan(tagger.doc, 'Blair remembered this later.', { authorId: ctx.clinic.b.id, tags: ['affect'] });
    await expect.poll(() => a.getByTestId('observation-item').allInnerTexts(), POLL).toEqual([expect.stringContaining('· late entry')]);
    // Its time counts from the end, not from the start ("07:57" read as a moment of a shorter session: walk, 4 Dec).
    const item = await a.getByTestId("observation-item").innerText();
    expect(item).toMatch(/· \d\d:\d\d after the end\s+· late entry/);
    tagger.destroy();
    await saveScreenshot(a, 'late-entries-live');

    // After a reload (from the browser's copy and the ctx.server) the marks are back.
    await a.reload();
    await a.locator('.ProseMirror').waitFor();
    await expect.poll(async () => (await lateMarks(a)).text, POLL).toBe(' Added after the end.Blair remembered this later.');
  }, 90_000);

  // The late mark drawn on the letter just typed of a mention ("@M") had Chromium type the next
  // letters before it: "@M2 phoned after the session." became "@2 phoned after the session.M", with
  // no mention (walk, 4 Dec).
  it('takes a mention typed after the end as a mention, in the order typed', async () => {
    const sessionId = await sessionWithMembers(ctx.clinic, 'group', ['M1', 'M2', 'M3']);
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, sessionId);
    for (const step of ['start', 'end']) expect((await ctx.clinic.a.api.post(`/api/sessions/${sessionId}/${step}`)).status).toBe(200);
    await expect.poll(() => a.getByTestId('session-status').innerText(), POLL).toBe('Ended');
    await a.locator('.ProseMirror p').nth(1).click();
    // One key at a time, each labelled late by the server (and the label back on the page) before the next.
    const observer = connectClient(ctx.server.baseUrl, sessionId, ctx.clinic.b.api.cookie);
    const labelled = () => [...sessionDoc(observer.doc).lateEntries.values()].reduce((n, e) => n + e.len, 0);
    for (const [i, key] of ['@', 'M', '2'].entries()) {
      await a.keyboard.type(key);
      await expect.poll(labelled, POLL).toBe(i + 1);
      await expect.poll(() => noteText(a), POLL).toContain(['@', '@M', '@M2'][i]);
    }
    observer.destroy();
    await expect.poll(() => a.locator('.mention-list__item').allInnerTexts(), POLL).toEqual(['@M2']);
    await a.keyboard.press('Enter');
    await a.keyboard.type('phoned after the session.');
    // The chip is a node, not letters: the words after it carry the mark.
    await expect.poll(async () => (await lateMarks(a)).text, POLL).toBe(' phoned after the session.');
    expect(await a.locator('.ProseMirror p .mention').allInnerTexts()).toEqual(['@M2']);
    expect(await noteText(a)).toContain('\n@M2 phoned after the session.\n');
  }, 60_000);
});
