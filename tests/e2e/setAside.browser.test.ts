import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { createSession, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';
import type { TestServer } from '../helpers/startTestServer';
import { storedText } from '../helpers/storedNote';
import { POLL, chromiumAvailable, chromiumForFile, closeContexts, noteText, openSessionAs, saveScreenshot, selectWords, typeInParagraph } from './browser';

const hasChromium = chromiumAvailable();
/** Room for the template and typing; the paste below is over it. */
const LIMIT = 16 * 1024;
const PASTE = `Handout given to the group: ${'Keep a regular bedtime and a wind-down hour. '.repeat(450)}End of handout.`;

// Noted 5 Dec: a change too large to save was kept in IndexedDB and never shown again once the
// page was opened again, so its words were out of reach on the very device that kept them.
describe.skipIf(!hasChromium)('browser: a change too large to save', () => {
  let server: TestServer;
  let clinic: Clinic;
  let browser: Browser;
  beforeAll(async () => {
    ({ server, clinic } = await startClinic({ env: { TANDEM_MAX_MESSAGE_BYTES: String(LIMIT) } }));
    browser = await chromiumForFile();
  });
  afterAll(() => closeContexts(browser));

  it('leaves the note on screen too, and is shown on the device that kept it until the clinician removes it', async () => {
    const sessionId = await createSession(clinic, 'group');
    const page = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    await typeInParagraph(page, 0, 'M1 arrived late.');
    await page.keyboard.insertText(PASTE);
    const notice = page.getByTestId('set-aside-notice');
    await expect.poll(() => notice.count(), POLL).toBe(1);
    expect(await notice.innerText()).toContain('kept on this device until you remove it');
    // Taken out of the note on screen too: left there, each later keystroke wrote the paste again
    // and was set aside with it (a notice per key), and nothing typed after it was saved.
    await expect.poll(async () => (await noteText(page)).includes('Handout given'), POLL).toBe(false);
    await page.keyboard.type(' Left before the end.');
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await expect.poll(() => storedText({ dataDir: server.dataDir }, sessionId), POLL).toContain('M1 arrived late. Left before the end.');
    expect(await notice.count()).toBe(1);

    await page.reload();
    await page.locator('.ProseMirror').waitFor();
    await expect.poll(() => notice.count(), POLL).toBe(1);
    expect(await notice.locator('q').innerText()).toMatch(/^Handout given to the group: Keep a regular bedtime/);
    await saveScreenshot(page, 'set-aside-after-reload');

    page.once('dialog', (dialog) => void dialog.accept());
    await notice.getByRole('button', { name: 'Remove from this device' }).click();
    await expect.poll(() => notice.count(), POLL).toBe(0);
    await page.reload();
    await page.locator('.ProseMirror').waitFor();
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect(await notice.count()).toBe(0);
  }, 120_000);

  // Walk, 5 Dec: taken out of the note after the fact, a paste too large to save kept what it
  // deleted: the words it replaced were gone, the co-therapist's recorded as deleted by this
  // person, and after a pasted run of lines the next words went into the following heading.
  it('leaves the words a paste would replace, the co-therapist’s too, and the caret where they were', async () => {
    const sessionId = await createSession(clinic, 'group');
    const blair = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => blair.provider.synced, POLL).toBe(true);
    appendParagraph(blair.doc, 'Blair wrote: M2 disclosed a conflict at home.');
    await expect.poll(() => blair.isSaved(), POLL).toBe(true);
    const page = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    await expect.poll(() => noteText(page), POLL).toContain('a conflict at home.');

    await selectWords(page, 'a conflict at home.');
    await pasteLines(page, 40);
    const notice = page.getByTestId('set-aside-notice');
    await expect.poll(() => notice.count(), POLL).toBe(1);
    expect(await notice.locator('q').innerText()).toMatch(/^Pasted line 1 /);
    expect(await noteText(page)).toContain('Blair wrote: M2 disclosed a conflict at home.');

    // The caret is where it was: what is typed next goes into the line, not the next heading.
    await page.locator('.ProseMirror h2', { hasText: 'Themes' }).locator('+ p').click();
    await pasteLines(page, 40);
    await expect.poll(() => notice.count(), POLL).toBe(2);
    await page.keyboard.type('Trust came up twice.');
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const stored = await storedText({ dataDir: server.dataDir }, sessionId);
    expect(stored).toContain('Blair wrote: M2 disclosed a conflict at home.');
    expect(stored).toMatch(/Themes\s+Trust came up twice\.\s+Member observations/);
    expect(stored).not.toContain('Pasted line');
    blair.destroy();
  }, 120_000);

  // Walk, 6 Dec: a pasted log with no space in it pushed the page 1,700 px wide, and the notice's
  // buttons off screen, on a phone too.
  it('keeps a set-aside paste with no space to break at within the page, its buttons on screen', async () => {
    const sessionId = await createSession(clinic, 'group');
    const page = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      await typeInParagraph(page, 0, 'Log pasted: ');
      await page.keyboard.insertText(`${viewport.width}-${'x'.repeat(2 * LIMIT)}`);
      const notice = page.getByTestId('set-aside-notice').filter({ hasText: `${viewport.width}-xxx` });
      await expect.poll(() => notice.count(), POLL).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      const remove = await notice.getByRole('button', { name: 'Remove from this device' }).boundingBox();
      expect(remove!.x + remove!.width).toBeLessThanOrEqual(viewport.width);
    }
    await saveScreenshot(page, 'set-aside-unbroken-phone');
  }, 120_000);

  // Walk, 5 Dec: three pastes made offline, each under the limit, came to more than it at the
  // reconnect; the connection ended ("Closed"), and nothing typed offline was saved.
  it('saves pastes made offline that together come to more than the limit', async () => {
    const sessionId = await createSession(clinic, 'group');
    const sockets: WebSocketRoute[] = [];
    let held = false;
    const page = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId, {
      prepare: (c) => c.routeWebSocket(/\/sync\//, (ws) => (held ? ws.close() : void (sockets.push(ws), ws.connectToServer()))),
    });
    await typeInParagraph(page, 0, 'Before the network went.');
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    held = true;
    sockets.at(-1)!.close();
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).not.toBe('Saved');
    for (let i = 0; i < 3; i++) await pasteLines(page, 12);
    await page.keyboard.type('Typed offline.');
    held = false;
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const stored = await storedText({ dataDir: server.dataDir }, sessionId);
    expect(stored.match(/Pasted line 12 /g)).toHaveLength(3);
    expect(stored).toContain('Typed offline.');
    expect(await page.getByTestId('set-aside-notice').count()).toBe(0);
  }, 120_000);
});

/** Pastes `count` lines of about 600 bytes each into the editor, as the browser does with a copied document. */
async function pasteLines(page: Page, count: number): Promise<void> {
  await page.locator('.ProseMirror').evaluate((editor, n) => {
    const lines = Array.from({ length: n }, (_, i) => `Pasted line ${i + 1} ${'of a long handout on sleep. '.repeat(20)}`);
    const data = new DataTransfer();
    data.setData('text/plain', lines.join('\n'));
    data.setData('text/html', lines.map((l) => `<p>${l}</p>`).join(''));
    editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, count);
}
