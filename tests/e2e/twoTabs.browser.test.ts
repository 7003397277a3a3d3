import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { serverText } from '../helpers/connectClient';
import { POLL, chromiumAvailable, missLiveEvents, openSessionAs, typeInParagraph, type OpenOptions } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

/**
 * One therapist with the note open in two tabs of one browser, which share its copy of the note
 * (IndexedDB). A reload of the note in one tab deletes that copy; the other tab's next keystrokes
 * were neither sent nor kept, its badge stayed "Saving…", and closing it lost them (walk, 5 Dec).
 */
describe.skipIf(!hasChromium)('browser: the same note in two tabs when one reloads it', () => {
  const ctx = useBrowserSession('group', ['M1', 'M2', 'JD']);
  const saved = (page: Page) => expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
  const onServer = () => serverText(ctx.server.baseUrl, ctx.sessionId, ctx.clinic.supervisor.api.cookie);
  /**
   * The note as the device's copy holds it, read from IndexedDB beside `page`: a tab closed the
   * moment after a keystroke loses what the browser had not yet written, as any page would.
   */
  const inCopy = async (page: Page) => {
    const updates = await page.evaluate(async (name) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const stored = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction('updates').objectStore('updates').getAll();
        request.onsuccess = () => resolve(request.result);
      });
      db.close();
      return stored.map((u) => Array.from(u as Uint8Array));
    }, `tandem:${ctx.clinic.a.id}:${ctx.sessionId}`);
    const doc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(doc, Uint8Array.from(u));
    return doc.getXmlFragment(NOTE_FIELD).toString();
  };

  /** The note open in a tab of `ctx.clinic.a`'s browser and in a second tab of the same browser. */
  const twoTabs = async (opts: OpenOptions = {}): Promise<{ first: Page; other: Page }> => {
    const first = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId, opts);
    // The first test's reload asks to be sure.
    first.on('dialog', (dialog) => void dialog.accept());
    const other = await first.context().newPage();
    await other.goto(first.url());
    await other.locator('.ProseMirror').waitFor();
    return { first, other };
  };
  const logOut = async (page: Page) => {
    await page.getByTestId('account-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-email').waitFor();
  };

  it('lets the other tab go on saving, and keeps what it types offline on the device', async () => {
    const { first, other } = await twoTabs({ prepare: missLiveEvents });

    // The first tab's change is refused (a member removed as it tags them), and it reloads the note.
    await typeInParagraph(first, 2, 'JD arrived with M1.');
    await saved(first);
    await first.keyboard.press('Shift+Home');
    const labelsRead = first.waitForResponse((res) => res.url().endsWith(`/api/sessions/${ctx.sessionId}`));
    await first.keyboard.press('Control+k');
    await labelsRead;
    expect((await ctx.clinic.b.api.request('PUT', `/api/sessions/${ctx.sessionId}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);
    await first.keyboard.type('nonv');
    await first.keyboard.press('3'); // JD, as the palette still lists it
    await first.keyboard.press('Enter');
    await first.getByTestId('reload-note').click();
    await expect.poll(() => first.getByTestId('refusal-notice').count(), POLL).toBe(0);
    await saved(first);

    // The other tab's words reach the server.
    await typeInParagraph(other, 4, 'Typed in the other tab.');
    await expect.poll(onServer, POLL).toContain('Typed in the other tab.');
    await saved(other);

    // And what it types offline is kept on the device: a tab opened later sends it.
    await other.context().setOffline(true);
    await typeInParagraph(other, 4, ' Then offline.');
    await expect.poll(() => other.getByTestId('save-state').innerText(), POLL).not.toBe('Saved');
    await expect.poll(() => inCopy(other), POLL).toContain('Typed in the other tab. Then offline.');
    await other.close();
    await first.close();
    await first.context().setOffline(false);
    const later = await first.context().newPage();
    await later.goto(`${ctx.server.baseUrl}/sessions/${ctx.sessionId}`);
    await later.locator('.ProseMirror').waitFor();
    await expect.poll(onServer, POLL).toContain('Typed in the other tab. Then offline.');
    await saved(later);
  }, 90_000);

  // The other tab is signed out too (the server closes its socket; offline, no server tells it,
  // and it made a new copy of the note as the first tab deleted its own: the whole note stayed on
  // the device after the logout), and a new copy it made goes with the login.
  for (const offline of [false, true]) {
    it(`keeps no copy of the note on the device after a logout in one tab while the other${offline ? ', offline,' : ''} has it open`, async () => {
      const { first, other } = await twoTabs();
      await typeInParagraph(other, 1, 'Saved before the logout.');
      await saved(other);
      await saved(first);

      if (offline) await first.context().setOffline(true);
      await logOut(first);
      await other.getByTestId('login-email').waitFor(POLL);
      const copies = () => first.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('tandem:')));
      await expect.poll(copies, POLL).toEqual([]);
      await first.context().close();
    }, 60_000);
  }

  it('keeps on the device at logout the words a closed tab typed offline, after the open tab saved its own', async () => {
    const { first, other } = await twoTabs();
    await saved(other);
    await saved(first);

    await first.context().setOffline(true);
    await typeInParagraph(other, 3, 'Typed offline in a tab since closed.');
    await expect.poll(() => inCopy(other), POLL).toContain('Typed offline in a tab since closed.');
    await other.close();
    await first.context().setOffline(false);
    await typeInParagraph(first, 5, 'Typed online.');
    await saved(first);
    await logOut(first);

    // Once back, the copy sends them.
    await first.getByTestId('login-email').fill(ctx.clinic.a.email);
    await first.getByTestId('login-password').fill(ctx.clinic.a.password);
    await first.getByTestId('login-submit').click();
    await first.waitForURL((u) => !u.pathname.startsWith('/login'));
    await first.goto(`${ctx.server.baseUrl}/sessions/${ctx.sessionId}`);
    await first.locator('.ProseMirror').waitFor();
    await expect.poll(onServer, POLL).toContain('Typed offline in a tab since closed.');
    await first.context().close();
  }, 60_000);
});
