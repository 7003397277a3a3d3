import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLIENT_RISK_KEY } from '../../shared/domain/risk';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus, type Clinic } from '../helpers/api';
import { connectClient, serverText } from '../helpers/connectClient';
import { quoteLine } from '../helpers/editorEdit';
import { startTestServer, tempDir, type TestServer } from '../helpers/startTestServer';
import { POLL, axeFindings, chromiumAvailable, closeContexts, closeWithoutAsking, cspViolations, isSerious, noteText, openAnonymous, openSessionAs, saveScreenshot } from './browser';
import { browserClinic, sessionWithMembers } from './browserClinic';

const hasChromium = chromiumAvailable();
const OFFLINE_BADGE = 'Offline — kept on this device';

/** Waits until the app shell's service worker is installed and serves this page. */
async function serviceWorkerInControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), POLL).toBe(true);
}

const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').sort());

describe.skipIf(!hasChromium)('browser: offline start — the app and the notes opened on this device open without a network', () => {
  let server: TestServer;
  let clinic: Clinic;
  let sessionId: string;
  let neverOpenedId: string;
  let browser: Browser;
  let a: Page;

  beforeAll(async () => {
    ({ server, clinic, browser } = await browserClinic());
    sessionId = await sessionWithMembers(clinic, 'individual');
    neverOpenedId = (await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Thursday couple', kind: 'individual' }), 201, 'second session')).id;
  });

  afterAll(async () => {
    await closeContexts(browser);
  });

  it('reloads a note without a network, takes edits, and sends them when the network returns', async () => {
    a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId, { serviceWorker: true });
    await serviceWorkerInControl(a);
    await a.locator('.ProseMirror p').first().click();
    await a.keyboard.type('Written before the network went.');
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');

    await a.context().setOffline(true);
    await a.reload();
    await a.locator('.ProseMirror').waitFor(POLL);
    await expect.poll(() => noteText(a), POLL).toContain('Written before the network went.');
    await expect.poll(() => a.getByTestId('offline-notice').innerText(), POLL).toContain('Offline — showing what this device has');
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe(OFFLINE_BADGE);
    // The session's record came from the device too: its title and my role.
    expect(await a.locator('h1').first().innerText()).toContain('Tuesday group');

    // A second tab opening the note offline only to read it asks nothing when closed: every edit in
    // this device's copy had been confirmed. (A click first: browsers ask only on a page that was used.)
    const reader = await a.context().newPage();
    await reader.goto(`${server.baseUrl}/sessions/${sessionId}`);
    await expect.poll(() => noteText(reader), POLL).toContain('Written before the network went.');
    await expect.poll(() => reader.getByTestId('save-state').innerText(), POLL).toBe(OFFLINE_BADGE);
    await reader.locator('.ProseMirror p').first().click();
    expect(await closeWithoutAsking(reader)).toEqual([]);

    await a.locator('.ProseMirror p').first().click();
    await a.keyboard.press('End');
    await a.keyboard.type(' Then more, offline.');
    expect(await noteText(a)).toContain('Written before the network went. Then more, offline.');
    await saveScreenshot(a, 'offline-note-reloaded');

    await a.context().setOffline(false);
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect(await serverText(server.baseUrl, sessionId, clinic.b.api.cookie)).toContain('Written before the network went. Then more, offline.');
    await expect.poll(() => a.getByTestId('offline-notice').count(), POLL).toBe(0);

    // Offline again, and meanwhile the co-therapist makes that line a quote: the words typed into
    // it offline come back in a line of their own after her quote, as A's, and the page says so.
    // (Words of an earlier page of the device, under its own client id: offlineWords.test.ts. A
    // reload here right after typing could go before IndexedDB had stored the last letters.)
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.text().includes('Then more, offline.'), POLL).toBe(true);
    await a.context().setOffline(true);
    await a.reload();
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe(OFFLINE_BADGE);
    quoteLine(b.doc, 'Written before');
    await expect.poll(() => b.isSaved(), POLL).toBe(true);
    await a.locator('.ProseMirror p').first().click();
    await a.keyboard.press('End');
    await a.keyboard.type(' Typed on the train.');
    await a.context().setOffline(false);
    await expect.poll(() => a.getByTestId('kept-offline-line').allInnerTexts(), POLL).toEqual(['Typed on the train.']);
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    // Once, in its own line (the caret, which followed the words it stood after, writes none of them again).
    expect((await noteText(a)).split('\n').filter((line) => line.includes('Typed on the train'))).toEqual(['Typed on the train.']);
    await expect.poll(() => b.text(), POLL).toContain('Written before the network went. Then more, offline.\nTyped on the train.');
    await saveScreenshot(a, 'offline-words-kept');
    expect(cspViolations(a)).toEqual([]);
  }, 120_000);

  it('lists offline only the sessions opened on this device, shows the app (not the browser’s error) for the others, and opens them when the network returns', async () => {
    await a.context().setOffline(true);
    await a.goto(`${server.baseUrl}/`);
    await expect.poll(() => a.getByTestId('session-link').count(), POLL).toBe(1);
    expect(await a.getByTestId('session-link').getAttribute('href')).toBe(`/sessions/${sessionId}`);
    expect(await a.getByTestId('offline-notice').isVisible()).toBe(true);
    await saveScreenshot(a, 'offline-session-list');

    await a.goto(`${server.baseUrl}/sessions/${neverOpenedId}`);
    await expect.poll(() => a.getByRole('alert').first().innerText(), POLL).toContain('This device is offline; this needs the connection to the server');
    await saveScreenshot(a, 'offline-session-never-opened');
    // When the network returns the page reads the session again and opens it.
    await a.context().setOffline(false);
    await a.locator('.ProseMirror').waitFor(POLL);
    await expect.poll(() => a.getByTestId('offline-notice').count(), POLL).toBe(0);
  }, 120_000);

  // What a page showed from this device is read again when the network returns; the browser says
  // so only if it had been offline. With the browser online and only the server out of reach, the
  // list kept showing just the sessions opened here after the server answered again (the offline
  // notice had gone).
  it('lists every session again once the server answers, when only the server was out of reach', async () => {
    const page = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const away = (route: Route) => route.abort();
    await page.context().route(/\/api\//, away);
    await page.goto(`${server.baseUrl}/`);
    await expect.poll(() => page.getByTestId('session-link').count(), POLL).toBe(1);
    // The browser has a network: it is the server that is away (walk, 4 Dec: a restart read as "Offline").
    expect(await page.getByTestId('offline-notice').innerText()).toContain('The server cannot be reached — showing what this device has');
    await page.context().unroute(/\/api\//, away);
    await expect.poll(() => page.getByTestId('session-link').count(), POLL).toBe(2);
    expect(await page.getByTestId('offline-notice').count()).toBe(0);
    await page.context().close();
  }, 120_000);

  /**
   * Blair's device (a stock client whose copy has the Yjs client id `clientId`, which decides whose
   * of two concurrent saves Yjs keeps) saves the client's risk assessment `first`; Alex's page shows
   * it, then goes offline. `blairsSave` saves another and waits until it is stored.
   */
  async function riskRace(clientId: number, first: string) {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    const blair = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie, { doc });
    const blairsSave = async (assessment: string) => {
      sessionDoc(blair.doc).risk.set(CLIENT_RISK_KEY, { assessment, plan: '', by: clinic.b.id, at: Date.now() });
      await expect.poll(() => blair.isSaved(), POLL).toBe(true);
    };
    await expect.poll(() => blair.provider.synced, POLL).toBe(true);
    await blairsSave(first);
    const page = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const field = (part: 'assessment' | 'plan') => page.getByTestId(`risk-${part}-${CLIENT_RISK_KEY}`);
    await expect.poll(() => field('assessment').inputValue(), POLL).toBe(first);
    await page.context().setOffline(true);
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe(OFFLINE_BADGE);
    return { blair, blairsSave, page, field, save: () => page.getByTestId(`risk-save-${CLIENT_RISK_KEY}`).click() };
  }

  // Yjs keeps one of two concurrent writes to a map key: a risk record saved on a page that was
  // offline lost to the co-therapist's save made meanwhile, and its words went unseen (leftover of
  // the 5 Dec walk). Her copy's Yjs client id is the highest there is, so hers is the one kept.
  it('tells the therapist whose offline risk save lost to the co-therapist’s meanwhile, and puts her words back to save again', async () => {
    const { blair, blairsSave, page, field, save } = await riskRace(0xffff_ffff, 'Blair: first look, low risk.');
    const riskOf = (doc: Y.Doc) => sessionDoc(doc).risk.get(CLIENT_RISK_KEY);
    await field('assessment').fill('Alex: passive ideation, no plan; means removed.');
    await field('plan').fill('Alex: call on Thursday.');
    await save();
    await blairsSave('Blair: moderate risk, reviewed with supervisor.');
    await page.context().setOffline(false);

    const notice = page.getByTestId(`risk-replaced-${CLIENT_RISK_KEY}`);
    await expect.poll(() => notice.innerText(), POLL).toContain(`${clinic.b.name}’s save, made without seeing yours`);
    expect(await notice.innerText()).toContain('Alex: passive ideation, no plan; means removed.');
    expect(await field('assessment').inputValue()).toBe('Blair: moderate risk, reviewed with supervisor.');
    await saveScreenshot(page, 'offline-risk-save-replaced');
    await page.getByTestId(`risk-putback-${CLIENT_RISK_KEY}`).click();
    expect(await field('assessment').inputValue()).toBe('Alex: passive ideation, no plan; means removed.');
    expect(await field('plan').inputValue()).toBe('Alex: call on Thursday.');
    expect(await page.getByTestId(`risk-meanwhile-${CLIENT_RISK_KEY}`).innerText()).toContain('Blair: moderate risk, reviewed with supervisor.');
    await page.getByTestId(`risk-mine-${CLIENT_RISK_KEY}`).click();
    await expect.poll(() => riskOf(blair.doc)?.assessment, POLL).toBe('Alex: passive ideation, no plan; means removed.');
    expect(riskOf(blair.doc)).toMatchObject({ by: clinic.a.id, plan: 'Alex: call on Thursday.' });
    expect(await notice.count()).toBe(0);
    blair.destroy();
    await page.context().close();
  }, 120_000);

  // The same race when the page's save kept the co-therapist's assessment in her name beside a new
  // plan: she changed it meanwhile, so the server refuses the save, and the reload it asks for
  // dropped the plan unseen (a record is no text of the note: 5 Dec). Here the page's save is the
  // one Yjs keeps (her copy's client id is the lowest), so only the refusal tells.
  it('shows the words of a refused offline risk save for copying back after the reload', async () => {
    const { blair, blairsSave, page, field, save } = await riskRace(1, 'Blair: low risk.');
    await field('plan').fill('Alex: call on Thursday.');
    await save();
    await blairsSave('Blair: moderate risk.');
    await page.context().setOffline(false);

    await expect.poll(() => page.getByTestId('refusal-notice').innerText(), POLL).toContain('may have changed it since this device last saw it');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('reload-note').click();
    const unsaved = page.getByTestId('unsaved-on-reload-text');
    await expect.poll(() => unsaved.innerText(), POLL).toContain('Safety plan for Client: Alex: call on Thursday.');
    await expect.poll(() => field('assessment').inputValue(), POLL).toBe('Blair: moderate risk.');
    await saveScreenshot(page, 'offline-risk-save-refused');
    // The words are kept on the device until dismissed: a reload of the tab lost them (walk, 5 Dec).
    await page.reload();
    await expect.poll(() => unsaved.innerText(), POLL).toContain('Safety plan for Client: Alex: call on Thursday.');
    await page.getByTestId('unsaved-on-reload-notice').getByRole('button', { name: 'Dismiss' }).click();
    await page.reload();
    await page.locator('.ProseMirror').waitFor(POLL);
    expect(await unsaved.count()).toBe(0);
    blair.destroy();
    await page.context().close();
  }, 120_000);

  it('forgets this account’s offline data at logout: a reload without a network then opens no note', async () => {
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect(await databases(a)).toEqual([`tandem-answers:${clinic.a.id}`, `tandem:${clinic.a.id}:${sessionId}`, `tandem:${clinic.a.id}:${neverOpenedId}`].sort());
    await a.getByTestId('account-menu').click();
    await a.getByTestId('logout').click();
    await a.getByTestId('login-email').waitFor(POLL);
    await expect.poll(() => databases(a), POLL).toEqual([]);
    expect(await a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tandem-device')))).toEqual([]);

    await a.context().setOffline(true);
    await a.goto(`${server.baseUrl}/sessions/${sessionId}`);
    await expect.poll(() => a.getByRole('alert').first().innerText(), POLL).toContain('Tandem could not reach its server');
    expect(await a.locator('.ProseMirror').count()).toBe(0);
    await a.context().setOffline(false);
  }, 120_000);

  // A walk (4 Dec): a therapist removed from a session went on opening the whole note offline
  // from this device, and what they typed there was dropped unsaid.
  it('removes a note from the device of a therapist removed from its session, and says what was not saved', async () => {
    const removedFrom = await sessionWithMembers(clinic, 'individual');
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, removedFrom, { serviceWorker: true });
    await serviceWorkerInControl(b);
    await b.locator('.ProseMirror p').first().click();
    await b.keyboard.type('Written while still a member.');
    await expect.poll(() => b.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const copy = `tandem:${clinic.b.id}:${removedFrom}`;
    expect(await databases(b)).toContain(copy);

    // Offline words, then the removal while the page is away from the server.
    await b.context().setOffline(true);
    await b.keyboard.type(' Typed offline.');
    await expectStatus(clinic.admin.api.request('DELETE', `/api/sessions/${removedFrom}/members/${clinic.b.id}`, { reason: 'Moved to another team' }), 204, 'admin removes B');
    await b.context().setOffline(false);
    await expect.poll(() => b.getByTestId('flash').innerText(), POLL).toContain('What you typed there since it last said Saved was not saved.');
    await expect.poll(() => databases(b), POLL).not.toContain(copy);

    // Offline again, the note no longer opens from this device.
    await b.context().setOffline(true);
    await b.goto(`${server.baseUrl}/sessions/${removedFrom}`);
    await expect.poll(() => b.getByRole('alert').first().innerText(), POLL).toContain('This device is offline; this needs the connection to the server');
    expect(await b.locator('.ProseMirror').count()).toBe(0);
    await b.context().setOffline(false);
    expect(await serverText(server.baseUrl, removedFrom, clinic.a.api.cookie)).not.toContain('Typed offline');
    await b.context().close();
  }, 120_000);

  it('offers a new build quietly and reloads into it when asked', async () => {
    // A server of its own over a copy of the built client, so the test can put a new build there.
    const clientDir = tempDir('tandem-client-');
    fs.cpSync(path.resolve(import.meta.dirname, '../../dist/client'), clientDir, { recursive: true });
    const shellServer = await startTestServer({ env: { TANDEM_CLIENT_DIR: clientDir } });
    // Without the page's CSP, to inject axe-core.
    const page = await openAnonymous(browser, `${shellServer.baseUrl}/login`, { bypassCSP: true, serviceWorker: true });
    await serviceWorkerInControl(page);
    expect(await page.getByTestId('update-notice').count()).toBe(0);

    // A new build changes the service worker (its list of files and their revisions).
    fs.appendFileSync(path.join(clientDir, 'sw.js'), '\n// the next build\n');
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await expect.poll(() => page.getByTestId('update-notice').isVisible(), POLL).toBe(true);
    await saveScreenshot(page, 'offline-update-ready');
    expect((await axeFindings(page)).filter(isSerious)).toEqual([]);

    const reloaded = page.waitForEvent('load');
    await page.getByTestId('update-notice').getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting === null), POLL).toBe(true);
    expect(await page.getByTestId('update-notice').count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
