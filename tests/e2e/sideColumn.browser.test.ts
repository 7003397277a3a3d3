import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinic, createSession, type Clinic } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/startTestServer';
import { POLL, chromiumAvailable, chromiumForFile, closeContexts, closePagesAfterEachTest, openSessionAs } from './browser';

const hasChromium = chromiumAvailable();

// A walk (6 Dec, 1280 × 900): on a group session's page, the wheel over the side column scrolled
// it to its end while its last ~220 px (Who has read this note, the shortcut legend) stayed below
// the window: the column is as high as the window once it stays at the top, and before the page
// has scrolled it starts 250 px down; at its end the page did not scroll on.
describe.skipIf(!hasChromium)('browser: the session page’s side column', () => {
  let server: TestServer;
  let clinic: Clinic;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    clinic = await createClinic(server.baseUrl);
    browser = await chromiumForFile();
  });
  afterAll(async () => {
    await closeContexts(browser);
  });
  closePagesAfterEachTest(() => browser);

  it('shows its last panel to the wheel over it, from the top of the page', async () => {
    const sessionId = await createSession(clinic, 'group');
    const page = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const aside = page.locator('.session__aside');
    await page.getByTestId('group-members-panel').waitFor();
    const box = (await aside.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    const lastPanelShown = () =>
      aside.evaluate((el) => {
        const last = el.lastElementChild!.getBoundingClientRect();
        return last.bottom <= window.innerHeight + 1;
      });
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, 300);
        return lastPanelShown();
      }, POLL)
      .toBe(true);
  });
});
