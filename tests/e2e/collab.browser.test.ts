import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  caretNames,
  POLL,
  cspViolations,
  chromiumAvailable,
  noteText,
  openSessionAs,
  saveScreenshot,
  typeInParagraph,
} from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('browser: two co-therapists and a supervisor on one note', () => {
  const ctx = useBrowserSession('group', [], { keepPagesBetweenTests: true });
  let a: Page;
  let b: Page;

  it("shows each therapist the other's words and caret, and reaches Saved", async () => {
    a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);

    await typeInParagraph(a, 0, 'Alex: M2 went quiet when her father came up.');
    await typeInParagraph(b, 1, 'Blair: M1 interrupted twice.');

    await expect.poll(() => noteText(a), POLL).toContain('Blair: M1 interrupted twice.');
    await expect.poll(() => noteText(b), POLL).toContain('Alex: M2 went quiet when her father came up.');
    await expect.poll(() => caretNames(a), POLL).toContain(ctx.clinic.b.name);
    await expect.poll(() => caretNames(b), POLL).toContain(ctx.clinic.a.name);
    await expect.poll(() => a.getByTestId('presence-list').innerText(), POLL).toContain(ctx.clinic.b.name);

    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await expect.poll(() => b.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect(cspViolations(a)).toEqual([]);
    expect(cspViolations(b)).toEqual([]);
    await saveScreenshot(a, 'collab-therapist-a');
    await saveScreenshot(b, 'collab-therapist-b');
  }, 60_000);

  it('keeps the supervisor read-only: typing in the editor changes nothing', async () => {
    const supervisor = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.supervisor, ctx.sessionId);

    await expect.poll(() => supervisor.getByTestId('readonly-banner').isVisible(), POLL).toBe(true);
    await expect.poll(() => supervisor.getByTestId('save-state').innerText(), POLL).toBe('Read-only');
    // Said once: the banner under it said "Read-only." again before its reason (walk, 6 Dec).
    expect((await supervisor.locator('main').innerText()).match(/read-only/gi)).toEqual(['Read-only']);
    await expect.poll(() => noteText(supervisor), POLL).toContain('Blair: M1 interrupted twice.');
    await expect.poll(() => a.getByTestId('presence-list').innerText(), POLL).toMatch(/watching/);
    const before = await noteText(a);

    await supervisor.locator('.ProseMirror p').first().click();
    await supervisor.keyboard.type('SUPERVISOR WAS HERE');
    await supervisor.keyboard.press('Enter');
    expect(await noteText(supervisor)).toBe(before);
    expect(await supervisor.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');

    // A barrier instead of a sleep: once A's next words reach the supervisor, anything the
    // supervisor's page could have sent before them has been through the server too.
    await typeInParagraph(a, 2, 'Alex: plan follow-up.');
    await expect.poll(() => noteText(supervisor), POLL).toContain('Alex: plan follow-up.');
    const after = await noteText(a);
    expect(after).not.toContain('SUPERVISOR WAS HERE');
    expect(after.replace('Alex: plan follow-up.', '')).toBe(before);
    await expect.poll(() => noteText(supervisor), POLL).toBe(after);
    await saveScreenshot(supervisor, 'collab-supervisor-readonly');
  }, 60_000);

  it("deletes this browser's copy of the note at logout once saved, and keeps one with unsaved edits", async () => {
    const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    const logOut = async (page: Page) => {
      await page.getByTestId('account-menu').click();
      await page.getByTestId('logout').click();
      await page.getByTestId('login-email').waitFor();
    };

    const saved = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    await expect.poll(() => saved.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    // The note's copy, and the session's answers kept for offline use (offline/deviceAnswers.ts).
    expect((await databases(saved)).sort()).toEqual([`tandem-answers:${ctx.clinic.a.id}`, `tandem:${ctx.clinic.a.id}:${ctx.sessionId}`]);
    await logOut(saved);
    await expect.poll(() => databases(saved), POLL).toEqual([]);

    const unsaved = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await expect.poll(() => unsaved.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await unsaved.context().setOffline(true);
    await typeInParagraph(unsaved, 0, ' Blair, offline.');
    // Chromium's offline mode stalls the open socket rather than closing it: "Saving…" until it gives up.
    await expect.poll(() => unsaved.getByTestId('save-state').innerText(), POLL).toMatch(/^(Saving|Offline)/);
    await logOut(unsaved);
    await expect.poll(() => unsaved.getByTestId('flash').innerText(), POLL).toContain('has edits the server has not confirmed');
    expect(await databases(unsaved)).toEqual([`tandem:${ctx.clinic.b.id}:${ctx.sessionId}`]);
  }, 60_000);
});
