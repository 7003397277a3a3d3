import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, chromiumAvailable, cspViolations, openPageAs, openSessionAs, saveScreenshot, typeInParagraph } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();
const URL_IN_NOTE = 'https://example.test/handout';

/** Replaces window.open with a recorder, so a test sees exactly how the page asked to open a link. */
async function recordWindowOpen(page: Page): Promise<void> {
  await page.evaluate(() => {
    const calls: unknown[][] = [];
    (window as unknown as { openCalls: unknown[][] }).openCalls = calls;
    window.open = (...args: unknown[]) => {
      calls.push(args);
      return null;
    };
  });
}

const openCalls = (page: Page) => page.evaluate(() => (window as unknown as { openCalls: unknown[][] }).openCalls);

describe.skipIf(!hasChromium)('browser: links in the note, and who has read it', () => {
  const ctx = useBrowserSession('group', [], { keepPagesBetweenTests: true });
  let a: Page;

  it('render with rel=noopener noreferrer and open only in a new tab without an opener', async () => {
    a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    await typeInParagraph(a, 0, `Handout: ${URL_IN_NOTE} `);
    const link = a.locator(`.ProseMirror a[href="${URL_IN_NOTE}"]`);
    await link.waitFor();
    expect(await link.getAttribute('target')).toBe('_blank');
    expect((await link.getAttribute('rel'))?.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer']));

    await recordWindowOpen(a);
    // While writing, a plain click places the caret; Ctrl-click opens.
    await link.click();
    expect(await openCalls(a)).toEqual([]);
    await link.click({ modifiers: ['Control'] });
    expect(await openCalls(a)).toEqual([[URL_IN_NOTE, '_blank', 'noopener,noreferrer']]);
    expect(a.url()).toContain(`/sessions/${ctx.sessionId}`);

    // In the supervisor's read-only note a click opens, the same safe way.
    const supervisor = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.supervisor, ctx.sessionId);
    const readOnlyLink = supervisor.locator(`.ProseMirror a[href="${URL_IN_NOTE}"]`);
    await readOnlyLink.waitFor(POLL);
    await recordWindowOpen(supervisor);
    await readOnlyLink.click();
    expect(await openCalls(supervisor)).toEqual([[URL_IN_NOTE, '_blank', 'noopener,noreferrer']]);
    expect(supervisor.url()).toContain(`/sessions/${ctx.sessionId}`);
    expect([...cspViolations(a), ...cspViolations(supervisor)]).toEqual([]);
  });

  it('shows the therapists who has opened their note', async () => {
    const panel = a.getByTestId('access-panel');
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => panel.getByTestId('access-row').allInnerTexts(), POLL).toEqual(
      expect.arrayContaining([expect.stringContaining(ctx.clinic.supervisor.name)]),
    );
    const supervisorRow = (await panel.getByTestId('access-row').allInnerTexts()).find((row) => row.includes(ctx.clinic.supervisor.name));
    expect(supervisorRow).toContain('opened the note');
  });

  it('lets the admin take a therapist who wrote off the session, giving a reason, from the account’s page', async () => {
    // A has written (the link above), so B's page offers no Remove for A: an admin must do it.
    const admin = await openPageAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.admin, '/admin/users', 'users-table');
    // A role is changed only once the admin says so (a slip of the mouse took effect at once: walk, 4 Dec).
    const asked: string[] = [];
    admin.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    const outsiderRow = admin.getByTestId('user-row').filter({ hasText: ctx.clinic.outsider.name });
    await outsiderRow.getByTestId('user-role-select').selectOption('supervisor');
    await expect.poll(() => asked, POLL).toEqual([expect.stringContaining(`Make ${ctx.clinic.outsider.name} a Supervisor?`)]);
    await expect.poll(() => outsiderRow.getByTestId('user-role-select').inputValue(), POLL).toBe('clinician');
    expect((await ctx.clinic.admin.api.get<{ id: string; role: string }[]>('/api/users')).body.find((u) => u.id === ctx.clinic.outsider.id)?.role).toBe('clinician');
    await admin.getByTestId('user-row').filter({ hasText: ctx.clinic.a.name }).getByTestId('user-sessions').click();
    const row = admin.getByTestId('account-session-row').filter({ hasText: 'Tuesday group' });
    await expect.poll(() => row.innerText(), POLL).toContain('Therapist');
    await row.getByTestId('account-session-remove').click();
    const removal = row.getByTestId('account-session-removal');
    await removal.getByRole('textbox').fill('Left the clinic; the case is reassigned.');
    await saveScreenshot(admin, 'admin-account-sessions');
    await removal.getByRole('button', { name: 'Remove from this session' }).click();
    await expect.poll(() => admin.getByTestId('account-sessions-none').count(), POLL).toBe(1);
    // A's open page is told at once, and the audit log keeps the reason.
    await expect.poll(() => a.getByTestId('flash').innerText(), POLL).toContain('You are no longer a member of that session');
    const removed = (await ctx.clinic.admin.api.get<{ action: string; detail: Record<string, unknown> }[]>(`/api/audit?sessionId=${ctx.sessionId}&action=member_removed`)).body;
    expect(removed.map((e) => e.detail)).toEqual([{ accountId: ctx.clinic.a.id, override: true, reason: 'Left the clinic; the case is reassigned.' }]);
    await admin.context().close();
  });

  it('drops this browser’s saved copy of the note when an admin ends the login (a lost laptop)', async () => {
    const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    const b = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.b, ctx.sessionId);
    await expect.poll(() => b.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect((await databases(b)).sort()).toEqual([`tandem-answers:${ctx.clinic.b.id}`, `tandem:${ctx.clinic.b.id}:${ctx.sessionId}`]);
    expect((await ctx.clinic.admin.api.delete(`/api/users/${ctx.clinic.b.id}/logins`)).status).toBe(200);
    await b.getByTestId('login-email').waitFor(POLL);
    await expect.poll(() => databases(b), POLL).toEqual([]);
  });
});
