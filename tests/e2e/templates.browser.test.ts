import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, openPageAs, saveScreenshot } from './browser';
import { useBrowserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

// The editor shows before the note's first sync brings the template: the headings are polled.
const headings = (page: Page) => page.locator('.ProseMirror h2').allInnerTexts();

describe.skipIf(!hasChromium)('browser: a new session starts from the template of its kind and shows what fits it', () => {
  const ctx = useBrowserClinic();

  async function create(page: Page, title: string, kind: string, format?: string): Promise<string> {
    await page.goto(`${ctx.server.baseUrl}/`);
    await page.getByTestId('session-title-input').fill(title);
    await page.getByTestId('session-kind-select').selectOption(kind);
    if (format) await page.getByTestId(`session-format-${format}`).check();
    await page.getByTestId('create-session-submit').click();
    await page.locator('.ProseMirror').waitFor();
    return new URL(page.url()).pathname.split('/').at(-1)!;
  }

  it('offers SOAP, DAP and BIRP for one client; an individual note has no group members, and flags only with a co-therapist', async () => {
    const page = await openPageAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, '/', 'session-title-input');
    // One client: the formats, each with its sections. A group: no formats, its sections said.
    expect(await page.getByTestId('session-format').innerText()).toContain('DAP Data, Assessment, Plan');
    await page.getByTestId('session-format-birp').check();
    await saveScreenshot(page, 'templates-new-session-individual');
    await page.getByTestId('session-kind-select').selectOption('group');
    expect(await page.getByTestId('session-format').count()).toBe(0);
    expect(await page.locator('.field__hint').first().innerText()).toBe('The note starts with Attendance, Themes, Member observations, Interventions, Risk, Plan.');

    const individual = await create(page, 'Monday, J.', 'individual', 'dap');
    await expect.poll(() => headings(page), POLL).toEqual(['Data', 'Assessment', 'Plan']);
    expect(await page.getByTestId('group-members-panel').count()).toBe(0);
    expect(await page.getByTestId('flag-counter').count()).toBe(0);
    // The palette offers neither members nor a flag.
    await page.locator('.ProseMirror p').first().click();
    await page.keyboard.press('Control+k');
    await page.getByTestId('tag-palette').waitFor();
    expect(await page.getByTestId('palette-member').count()).toBe(0);
    expect(await page.getByTestId('palette-flag').count()).toBe(0);
    expect(await page.locator('.palette__keys').innerText()).not.toContain('member');
    await saveScreenshot(page, 'templates-individual-session');
    await page.keyboard.press('Escape');

    // With a co-therapist, flags fit: the counter appears; group members still do not.
    expect((await ctx.clinic.a.api.post(`/api/sessions/${individual}/members`, { userId: ctx.clinic.b.id, role: 'therapist' })).status).toBe(201);
    await page.reload();
    await page.locator('.ProseMirror').waitFor();
    await expect.poll(() => page.getByTestId('flag-counter').count(), POLL).toBe(1);
    expect(await page.getByTestId('group-members-panel').count()).toBe(0);

    await create(page, 'Couple, week 2', 'couple', 'birp');
    await expect.poll(() => headings(page), POLL).toEqual(['Behavior', 'Intervention', 'Response', 'Plan']);
    // A couple's labels are its partners' (walk, 6 Dec: "Group members" in a family session).
    expect(await page.getByTestId('group-members-panel').locator('h2').innerText()).toBe('Partners');

    await create(page, 'Thursday group', 'group');
    await expect.poll(() => headings(page), POLL).toEqual(['Attendance', 'Themes', 'Member observations', 'Interventions', 'Risk', 'Plan']);
    expect(await page.getByTestId('group-members-panel').count()).toBe(1);
  }, 90_000);
});
