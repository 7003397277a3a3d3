/**
 * Shared plumbing for the browser tests: find Chromium (or say loudly why the tests skip),
 * launch it, log people in through the real login page, and keep screenshots for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Person } from '../helpers/api';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const root = path.resolve(import.meta.dirname, '../..');
const artifactsDir = path.join(root, 'test-artifacts');

/** Polling settings for expect.poll: UI state arrives over a socket, so give it a few seconds. */
export const POLL = { timeout: 15_000, interval: 100 } as const;

/**
 * Whether the browser tests can run. On CI a missing Chromium is an error (CI installs it);
 * elsewhere the tests skip, and say so where nobody can miss it.
 */
export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; CI must install it (apt-get install -y chromium).`);
  }
  console.warn(`\n*** SKIPPED: Chromium not found at ${CHROMIUM_PATH} — browser tests did not run ***\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot under test-artifacts/ (gitignored) for a human to look at. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

const violations = new WeakMap<Page, string[]>();

/** Content-Security-Policy violations the page reported (the built client must cause none). */
export function cspViolations(page: Page): string[] {
  return violations.get(page) ?? [];
}

/**
 * Opens any page of the app in a fresh browser context (its own cookies and IndexedDB) as
 * `person`, the way a deep link would: through the login page, which sends them back, then waits
 * for `ready`.
 */
export async function openPageAs(browser: Browser, baseUrl: string, person: Person, path: string, readyTestId: string): Promise<Page> {
  return openAs(browser, baseUrl, person, path, (page) => page.getByTestId(readyTestId).waitFor());
}

/** Opens a session's editor as `person` (see openPageAs). */
export async function openSessionAs(browser: Browser, baseUrl: string, person: Person, sessionId: string): Promise<Page> {
  return openAs(browser, baseUrl, person, `/sessions/${sessionId}`, (page) => page.locator('.ProseMirror').waitFor());
}

async function openAs(browser: Browser, baseUrl: string, person: Person, path: string, ready: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const seen: string[] = [];
  violations.set(page, seen);
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId('login-email').fill(person.email);
  await page.getByTestId('login-password').fill(person.password);
  await page.getByTestId('login-submit').click();
  await ready(page);
  return page;
}

/** The note's text, one line per block, without the other people's caret labels. */
export function noteText(page: Page): Promise<string> {
  return page.locator('.ProseMirror').evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return Array.from(copy.children, (block) => block.textContent ?? '').join('\n');
  });
}

/** Clicks at the end of the note's `index`-th paragraph and types there like a person. */
export async function typeInParagraph(page: Page, index: number, text: string): Promise<void> {
  const paragraph = page.locator('.ProseMirror p').nth(index);
  await paragraph.click();
  await page.keyboard.press('End');
  await page.keyboard.type(text);
}
