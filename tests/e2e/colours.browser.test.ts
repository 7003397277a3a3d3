import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { colorForId } from '../../shared/domain/color';
import type { SessionView } from '../../shared/domain/session';
import { createPerson, expectStatus, type Person } from '../helpers/api';
import { POLL, caretNames, chromiumAvailable, noteText, openPageAs, openSessionAs, saveScreenshot, typeInParagraph } from './browser';
import { useBrowserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
const background = (page: Page, testId: string) => page.getByTestId(testId).evaluate((el) => getComputedStyle(el).backgroundColor);
const labelOpacity = (page: Page) => page.locator('.collaboration-carets__label').first().evaluate((el) => Number(getComputedStyle(el).opacity));
/** Whether the co-therapist's caret label's box (seen or not) lies over words of the paragraph before theirs. */
const labelOverLineAbove = (page: Page) =>
  page.locator('.collaboration-carets__label').first().evaluate((label) => {
    const box = label.getBoundingClientRect();
    const above = document.createRange();
    above.selectNodeContents(label.closest('p')!.previousElementSibling!);
    return Array.from(above.getClientRects()).some((r) => r.width > 0 && r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom);
  });

describe.skipIf(!hasChromium)('browser: colours, caret labels and error messages people can read', () => {
  const ctx = useBrowserClinic();

  /** A session `owner` creates with `other` as co-therapist. */
  async function sessionOf(owner: Person, other: Person): Promise<SessionView> {
    const { id } = await expectStatus(owner.api.post<{ id: string }>('/api/sessions', { title: 'Colours', kind: 'group' }), 201, 'create');
    await expectStatus(owner.api.post(`/api/sessions/${id}/members`, { userId: other.id, role: 'therapist' }), 201, 'add');
    return expectStatus(owner.api.get<SessionView>(`/api/sessions/${id}`), 200, 'read');
  }

  it('shows my session colour in the header, and the co-therapist’s name for a moment as they move or under the pointer, never over my words as they write', async () => {
    // A session where A's colour there differs from A's own: its first member has A's colour.
    let twin = await createPerson(ctx.clinic.admin.api, 'clinician', 'Tam Twin');
    while (colorForId(twin.id) !== colorForId(ctx.clinic.a.id)) twin = await createPerson(ctx.clinic.admin.api, 'clinician', 'Tam Twin');
    const session = await sessionOf(twin, ctx.clinic.a);
    await expectStatus(twin.api.post(`/api/sessions/${session.id}/members`, { userId: ctx.clinic.b.id, role: 'therapist' }), 201, 'add B');
    const mine = session.members.find((m) => m.userId === ctx.clinic.a.id)!.color;
    expect(mine).not.toBe(colorForId(ctx.clinic.a.id));

    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, session.id);
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, session.id);
    await expect.poll(() => background(a, 'account-color'), POLL).toBe(rgb(mine));
    const self = a.getByTestId('presence-person').filter({ hasText: '(you)' }).locator('.presence-dot');
    expect(await self.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(mine));

    // A writes a line the width of the note; B writes in the line under it.
    await typeInParagraph(a, 1, 'Alex noted that the group settled quickly and M1 spoke first today.');
    await a.keyboard.press('Enter');
    await expect.poll(() => b.locator('.ProseMirror p').nth(2).count(), POLL).toBe(1);
    await expect.poll(() => noteText(b), POLL).toContain('M1 spoke first today.');
    await typeInParagraph(b, 2, 'B');
    // A sees B's name a moment after B's caret came to the line, over the start of A's line.
    await expect.poll(() => caretNames(a), POLL).toEqual([ctx.clinic.b.name]);
    expect(await labelOpacity(a)).toBeGreaterThan(0.5);
    expect(await labelOverLineAbove(a)).toBe(true);
    await saveScreenshot(a, 'caret-label-active');
    // B writes on: the name goes within moments and stays away while B writes (walk: it sat over
    // A's line above the whole time B wrote, hiding a word).
    const words = 'lair adds that M2 listened and nodded while the others talked. ';
    let typed = 'B';
    const typeOn = async (key: string) => {
      await b.keyboard.type(key);
      typed += key;
      await expect.poll(() => noteText(a), POLL).toContain(typed);
    };
    const writingUntil = Date.now() + POLL.timeout;
    for (let i = 0; (await labelOpacity(a)) > 0 && Date.now() < writingUntil; i++) await typeOn(words[i % words.length]!);
    expect(await labelOpacity(a)).toBe(0);
    for (const key of 'and on') {
      await typeOn(key);
      expect(await labelOpacity(a)).toBe(0);
    }
    await saveScreenshot(a, 'caret-label-writing');
    // Under A's pointer, B's caret shows B's name; off it, not.
    const caret = (await a.locator('.collaboration-carets__caret').first().boundingBox())!;
    await a.mouse.move(caret.x + caret.width / 2, caret.y + caret.height / 2);
    await expect.poll(() => labelOpacity(a), POLL).toBe(1);
    await saveScreenshot(a, 'caret-label-hovered');
    await a.mouse.move(caret.x + caret.width / 2, caret.y + 120);
    await expect.poll(() => labelOpacity(a), POLL).toBe(0);
    // B's caret going to another line shows the name again, for a moment. To the note's start, not
    // one line up: on a fast machine B typed so much above that the line wrapped, and ArrowUp only
    // went up within it (quiet machine, 6 Dec: 122 characters on two rows, no name, the test failed).
    await b.keyboard.press('Control+Home');
    await expect.poll(() => labelOpacity(a), POLL).toBeGreaterThan(0.5);
    await expect.poll(() => labelOpacity(a), POLL).toBe(0);

    // Outside a session there is no session colour to show.
    await a.goto(`${ctx.server.baseUrl}/`);
    await a.getByTestId('session-title-input').waitFor();
    expect(await a.getByTestId('account-color').count()).toBe(0);
  }, 90_000);

  it('says what is wrong with a field in words, not in the schema’s', async () => {
    const page = await openPageAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, '/account', 'password-form');
    const form = page.getByTestId('password-form');
    await form.locator('input').nth(0).fill(ctx.clinic.a.password);
    await form.locator('input').nth(1).fill('short1');
    await form.locator('input').nth(2).fill('short1');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => form.locator('.field__error').allInnerTexts(), POLL).toEqual(['The new password needs at least 10 characters.']);
    expect(await page.locator('body').innerText()).not.toMatch(/Too small|expected string|newPassword/);
    await saveScreenshot(page, 'validation-password');

    const admin = await openPageAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.admin, '/admin/users', 'user-name-input');
    await admin.getByTestId('user-name-input').fill('Nia Newcomer');
    await admin.getByTestId('user-email-input').fill('nia-at-clinic');
    await admin.getByTestId('user-password-input').fill('a long enough password');
    await admin.getByTestId('create-user-submit').click();
    await expect.poll(() => admin.locator('.field__error').allInnerTexts(), POLL).toEqual(['Enter an email address such as name@clinic.org.']);
    expect(await admin.locator('body').innerText()).not.toMatch(/Invalid email|email:/);
  }, 60_000);
});
