/**
 * Shared plumbing for the browser tests: find Chromium (or say loudly why the tests skip),
 * launch it, log people in through the real login page, and keep screenshots for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import type { Person } from '../helpers/api';

/**
 * Debian's headless shell of Chromium (package chromium-headless-shell, the same Blink and V8 as
 * its chromium), which Playwright also runs for headless Chromium: no browser window, tab strip or
 * address bar to build, draw and keep for each context. Measured on this 2-core machine (7 Dec),
 * interleaved with Debian's chromium in headless mode: a launch 0.4 CPU-s instead of 0.7, a
 * logged-in session page in a new context 0.75–0.9 CPU-s instead of 0.9–1.2 (the browser process
 * 0.12–0.17 instead of 0.25–0.36); a page's own work (loading in the same tab, typing) the same.
 * Whole files, Chromium's CPU-s: collab 10.7 and 9.9 before, 9.5, 8.1 and 7.3 after; phone and
 * a11y together 45.3 and 41.9 before, 26.3 and 36.7 after (its browser process 12.5 and 11.5
 * before, 4.4 and 6.0 after).
 */
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
/** The headless shell where it is installed, else Debian's chromium (the same engine, at more CPU per context). */
export const CHROMIUM_PATH = fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium';

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
    throw new Error(`Chromium not found at ${HEADLESS_SHELL} or ${CHROMIUM_PATH}; CI must install it (apt-get install -y chromium chromium-headless-shell).`);
  }
  console.warn(`\n*** SKIPPED: Chromium not found at ${CHROMIUM_PATH} — browser tests did not run ***\n`);
  return false;
}

function launchChromium(): Promise<Browser> {
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

let workerChromium: Promise<Browser> | null = null;

/**
 * The Chromium of this test worker, launched by the first browser test file it runs and shared by
 * the next ones (the node project keeps a worker's modules from file to file, see vitest.config.ts):
 * launching and closing one per file cost about 1 s of CPU each, 27 times a run. A file gets its
 * own contexts (cookies, IndexedDB, service workers) and closes them with closeContexts; contexts
 * a failed file left open are closed before the next file starts. Playwright ends the browser
 * with the worker.
 */
export async function chromiumForFile(): Promise<Browser> {
  if (!workerChromium) {
    const launching = launchChromium();
    workerChromium = launching;
    launching.then(
      (browser) => browser.on('disconnected', () => {
        if (workerChromium === launching) workerChromium = null;
      }),
      () => {
        if (workerChromium === launching) workerChromium = null;
      },
    );
  }
  const browser = await workerChromium;
  await closeContexts(browser);
  return browser;
}

/** Closes every context open in `browser` (the file's pages, cookies and IndexedDB), leaving the browser for the next file. */
export async function closeContexts(browser: Browser | undefined): Promise<void> {
  parked.clear();
  await Promise.all((browser?.contexts() ?? []).map((context) => context.close()));
}

/**
 * Once each test ends, closes the contexts it opened, so that no page of one test keeps working
 * (sockets, live streams, polls, renders) through the next; see useBrowserClinic. A page openAs
 * opened (one person, no `prepare`, no service worker) is left at about:blank instead, with its
 * origin's stored data (IndexedDB, localStorage) cleared and its login kept, for the same person's
 * next open in this file: the session page in a fresh context costs Chromium about twice what it
 * costs in a kept tab (0.75–0.9 CPU-s against 0.4, 7 Dec: a new renderer compiles the client again).
 */
export function closePagesAfterEachTest(browser: () => Browser | undefined): void {
  afterEach(async () => {
    await Promise.all((browser()?.contexts() ?? []).map((context) => parkOrClose(context)));
  });
}

/** How a context of openAs was made, when its page may serve the same person's next open. */
interface Reusable {
  key: string;
  origin: string;
  opts: OpenOptions;
}

const reusable = new WeakMap<BrowserContext, Reusable>();
/** Pages left at about:blank by parkOrClose, by reuseKey; taken by openAs. */
const parked = new Map<string, Page[]>();

function reuseKey(baseUrl: string, person: Person, opts: OpenOptions): string | null {
  if (opts.prepare || opts.serviceWorker || opts.bypassCSP) return null;
  return JSON.stringify([baseUrl, person.email, opts.phone ?? false, opts.colorScheme ?? null]);
}

/**
 * Leaves a reusable context's one page as a new tab of a logged-in browser would be (offline
 * off, no routes or permissions, the context's colour scheme, no listeners of the test, nothing
 * stored for the app's origin), or closes the context when it is not reusable or that fails.
 */
async function parkOrClose(context: BrowserContext): Promise<void> {
  const how = reusable.get(context);
  const pages = context.pages();
  const page = pages[0];
  if (!how || pages.length !== 1 || !page) return context.close();
  try {
    for (const event of ['dialog', 'console', 'pageerror', 'request', 'response', 'requestfailed', 'requestfinished', 'websocket', 'framenavigated', 'load', 'domcontentloaded', 'popup', 'download', 'filechooser', 'worker'] as const) {
      page.removeAllListeners(event);
    }
    await context.setOffline(false);
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.clearPermissions();
    // Unsaved edits make the app ask before it unloads; they go with the origin's data below.
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${how.origin}/icon.svg`);
    page.removeAllListeners('dialog');
    await page.emulateMedia({ media: null, colorScheme: how.opts.colorScheme ?? 'light', reducedMotion: null, forcedColors: null });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: how.origin, storageTypes: 'indexeddb,local_storage,cache_storage,service_workers,file_systems' });
    await cdp.detach();
  } catch {
    return context.close();
  }
  watchCsp(page);
  parked.set(how.key, [...(parked.get(how.key) ?? []), page]);
}

/**
 * Whether saveScreenshot keeps screenshots: yes where someone can look at them, not under CI=true,
 * where nobody does (a run takes about 110; a full-page shot costs Chromium about 230 ms of CPU,
 * ~25 CPU-s a run on a 2-core machine the suite already keeps busy). TANDEM_TEST_SCREENSHOTS=1 or
 * =0 decides either way.
 */
const keepScreenshots = process.env.TANDEM_TEST_SCREENSHOTS ? process.env.TANDEM_TEST_SCREENSHOTS === '1' : process.env.CI !== 'true';

/**
 * Saves a screenshot of the whole page, or of one element, under test-artifacts/ (gitignored) for a
 * human to look at; see keepScreenshots.
 */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<void> {
  if (!keepScreenshots) return;
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await ('goto' in target ? target.screenshot({ path: file, fullPage: true }) : target.screenshot({ path: file }));
}

const violations = new WeakMap<Page, string[]>();

/** Content-Security-Policy violations the page reported (the built client must cause none). */
export function cspViolations(page: Page): string[] {
  return violations.get(page) ?? [];
}

/**
 * The API requests a page makes from now on that are answered 404, as "GET /api/sessions/…/blind":
 * a page asks only what applies to its session (walk, 6 Dec: the process notes' page asked
 * `/blind` and `/sign-check`, and devtools showed a 404 for each).
 */
export function notFoundAsks(page: Page): string[] {
  const asked: string[] = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() === 404 && url.pathname.startsWith('/api/')) asked.push(`${res.request().method()} ${url.pathname}`);
  });
  return asked;
}

/** How a page is opened: a phone (narrow, touch), a colour scheme, or without the page's CSP (to inject axe-core). */
export interface OpenOptions {
  phone?: boolean;
  colorScheme?: 'light' | 'dark';
  bypassCSP?: boolean;
  /**
   * Let the app shell's service worker run (the offline and returning-device tests). Off by
   * default: installing it precaches the whole built client in every new context, about 1 s of
   * CPU each (12 logged-in session pages: 57 CPU-s with it, 44 without), and without it every
   * request reaches the network, where page.route can see it.
   */
  serviceWorker?: boolean;
  /** Runs on the new context before any page opens (page.route or routeWebSocket must be in place first). */
  prepare?: (context: BrowserContext) => Promise<unknown>;
}

/** A phone-sized touch screen, as the phone tests use. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

function contextOptions(opts: OpenOptions): BrowserContextOptions {
  return {
    ...(opts.phone ? PHONE : { viewport: { width: 1280, height: 900 } }),
    ...(opts.colorScheme ? { colorScheme: opts.colorScheme } : {}),
    ...(opts.bypassCSP ? { bypassCSP: true } : {}),
    serviceWorkers: opts.serviceWorker ? ('allow' as const) : ('block' as const),
  };
}

/**
 * Opens any page of the app in a fresh browser context (its own cookies and IndexedDB) as
 * `person`, the way a deep link would: through the login page, which sends them back, then waits
 * for `ready`.
 */
export async function openPageAs(browser: Browser, baseUrl: string, person: Person, path: string, readyTestId: string, opts: OpenOptions = {}): Promise<Page> {
  return openAs(browser, baseUrl, person, path, (page) => page.getByTestId(readyTestId), opts);
}

/** Opens a session's editor as `person` (see openPageAs). */
export async function openSessionAs(browser: Browser, baseUrl: string, person: Person, sessionId: string, opts: OpenOptions = {}): Promise<Page> {
  return openAs(browser, baseUrl, person, `/sessions/${sessionId}`, (page) => page.locator('.ProseMirror'), opts);
}

/**
 * The context's pages hear nothing on the live stream: a co-therapist's label change then reaches
 * an open palette only when it opens again, as on a page whose stream lags. Heard at once, the
 * palette drops the label before the therapist picks it, and a refusal a test is about never
 * happens (CI, 5 Dec: the wait for its notice hung the test). An `OpenOptions.prepare`.
 */
export const missLiveEvents = (context: BrowserContext) => context.route(/\/api\/events$/, (route) => route.abort());

/**
 * A page's note connection held shut: every websocket it opens to /sync/ is closed at once until
 * `release()`. Pass `prepare` in the open options, so it is in place before the page opens.
 */
export function heldNoteSocket(): { prepare: (context: BrowserContext) => Promise<unknown>; release(): void } {
  let released = false;
  return {
    prepare: (context) => context.routeWebSocket(/\/sync\//, (ws) => (released ? void ws.connectToServer() : void ws.close())),
    release: () => {
      released = true;
    },
  };
}

/** Keeps the CSP violations `page` reports from now on (see cspViolations). */
function watchCsp(page: Page): void {
  const seen: string[] = [];
  violations.set(page, seen);
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
}

/** A new tab in `context` whose CSP violations are kept (see cspViolations). */
async function newTrackedPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  watchCsp(page);
  return page;
}

/** A page parked for `key` by an earlier test of this file, if one is still open. */
function takeParked(key: string | null): Page | undefined {
  if (key === null) return undefined;
  const pages = (parked.get(key) ?? []).filter((p) => !p.isClosed());
  const page = pages.shift();
  parked.set(key, pages);
  return page;
}

async function openAs(browser: Browser, baseUrl: string, person: Person, path: string, ready: (page: Page) => Locator, opts: OpenOptions = {}): Promise<Page> {
  const key = reuseKey(baseUrl, person, opts);
  const known = takeParked(key);
  if (known) {
    await logInAt(known, baseUrl, person, path, ready);
    return known;
  }
  const context = await browser.newContext(contextOptions(opts));
  if (key !== null) reusable.set(context, { key, origin: new URL(baseUrl).origin, opts });
  await opts.prepare?.(context);
  const page = await newTrackedPage(context);
  await logInAt(page, baseUrl, person, path, ready);
  return page;
}

/**
 * Opens `path`, which sends `person` through the login page and back (a parked page, still
 * logged in, shows it at once), then waits for `ready`.
 */
async function logInAt(page: Page, baseUrl: string, person: Person, path: string, ready: (page: Page) => Locator): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  const login = page.getByTestId('login-email');
  await login.or(ready(page)).first().waitFor();
  if (await login.isVisible()) {
    await login.fill(person.email);
    await page.getByTestId('login-password').fill(person.password);
    await page.getByTestId('login-submit').click();
  }
  await ready(page).waitFor();
}

/** Opens one page after another, as a page walk does; see {@link pageWalk}. */
export interface PageWalk {
  /**
   * `path` as `person` (null: not logged in), once `readyTestId` is on it: in that person's tab,
   * which the walk keeps, so the page this person's last open returned is gone.
   */
  open(person: Person | null, path: string, readyTestId: string, opts?: OpenOptions): Promise<Page>;
  /** Closes every context the walk opened. */
  close(): Promise<void>;
}

/**
 * Page walks open dozens of pages. A fresh context for each (openPageAs) logs in again and has
 * Chromium fetch and compile the whole client again (no cache is shared between contexts): the
 * keyboard walk of a11y.browser.test.ts took 116 s that way and 66 s with this, back to back on
 * the same loaded machine. A walk keeps one tab per person and options, as one person's browser
 * would: the first page goes through the login page, later ones load in the same tab (a new tab
 * is a new renderer, which compiles the client again).
 */
export function pageWalk(browser: Browser, baseUrl: string): PageWalk {
  const contexts = new Map<string, BrowserContext>();
  const tabs = new Map<string, Page>();
  return {
    async open(person, path, readyTestId, opts = {}) {
      const key = JSON.stringify([person?.email ?? null, opts.phone ?? false, opts.colorScheme ?? null, opts.bypassCSP ?? false, opts.serviceWorker ?? false]);
      const ready = (page: Page) => page.getByTestId(readyTestId);
      const tab = tabs.get(key);
      if (tab && !tab.isClosed()) {
        // The walk may have switched the tab's colour scheme (showColorScheme).
        await tab.emulateMedia({ colorScheme: opts.colorScheme ?? 'light' });
        await tab.goto(`${baseUrl}${path}`);
        await ready(tab).waitFor();
        return tab;
      }
      const known = contexts.get(key);
      const context = known ?? (await browser.newContext(contextOptions(opts)));
      contexts.set(key, context);
      const page = await newTrackedPage(context);
      tabs.set(key, page);
      if (known || person === null) {
        await page.goto(`${baseUrl}${path}`);
        await ready(page).waitFor();
      } else {
        await logInAt(page, baseUrl, person, path, ready);
      }
      return page;
    },
    async close() {
      for (const context of contexts.values()) await context.close();
      contexts.clear();
      tabs.clear();
    },
  };
}

/**
 * Switches the device's colour scheme on the open page (the app follows it live, so a page walk
 * checks both themes without opening each page twice), waits for the theme, then for the colour
 * transitions it started (an observation's background fades over 0.6 s: axe-core read it half-way,
 * light on dark).
 */
export async function showColorScheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), POLL).toBe(theme);
  // A transition cut short (its element gone) rejects; it is over all the same.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
}

/** The names on the other people's carets in the note, as drawn (the label's ::after, from its data-name). */
export function caretNames(page: Page): Promise<string[]> {
  return page.locator('.collaboration-carets__label').evaluateAll((labels) => labels.map((l) => getComputedStyle(l, '::after').content.replace(/^"(.*)"$/, '$1')));
}

/**
 * What of the session page the risk alerts lie over, scrolled to the top, to the end of the page,
 * and with the side column (which scrolls on its own beside the note) at its end: the parts of the
 * side column, the note and the header whose boxes meet an alert's. Empty when the alerts take a
 * place of their own.
 */
export function underRiskAlerts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const aside = document.querySelector<HTMLElement>('.session__aside')!;
    const parts = [
      ...Array.from(aside.children).filter((el) => !el.classList.contains('risk-alerts')),
      ...document.querySelectorAll('.session__note, .session-header'),
    ];
    const meets = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const under = new Set<string>();
    const look = (where: string) => {
      for (const alert of document.querySelectorAll('[data-testid="risk-alert"]')) {
        const box = alert.getBoundingClientRect();
        for (const part of parts) {
          if (part.getBoundingClientRect().height > 0 && meets(box, part.getBoundingClientRect())) under.add(`${part.className || part.tagName} (${where})`);
        }
      }
    };
    window.scrollTo(0, 0);
    look('top');
    window.scrollTo(0, document.documentElement.scrollHeight);
    look('end of the page');
    window.scrollTo(0, aside.getBoundingClientRect().top + window.scrollY - 16);
    aside.scrollTop = aside.scrollHeight;
    look('end of the side column');
    aside.scrollTop = 0;
    window.scrollTo(0, 0);
    return [...under];
  });
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

/**
 * The editor's own selection: its state, not the page's DOM selection, which runs ahead of it
 * until ProseMirror reads it back (Tiptap puts the editor on its element). `text` is what is
 * selected; `atEnd` says a caret stands at the end of the note, `atBlockStart` and `atBlockEnd` at
 * the start and the end of its line.
 */
export function editorSelectionState(page: Page): Promise<{ text: string; atEnd: boolean; atBlockStart: boolean; atBlockEnd: boolean }> {
  return page.locator('.ProseMirror').evaluate((el) => {
    type Held = {
      state: {
        selection: { from: number; to: number; empty: boolean; $to: { parentOffset: number; parent: { content: { size: number } } } };
        doc: { content: { size: number }; textBetween(from: number, to: number, blockSeparator: string): string };
      };
    };
    const editor = (el as HTMLElement & { editor?: Held }).editor;
    if (!editor) return { text: '', atEnd: false, atBlockStart: false, atBlockEnd: false };
    const { from, to, empty, $to } = editor.state.selection;
    return {
      text: editor.state.doc.textBetween(from, to, '\n'),
      // The end of the last textblock is one before the document's size (its closing token).
      atEnd: empty && to === editor.state.doc.content.size - 1,
      atBlockStart: empty && $to.parentOffset === 0,
      atBlockEnd: empty && $to.parentOffset === $to.parent.content.size,
    };
  });
}

/** Selects `words` in the note the way a long press does: the page's selection, which the editor reads. */
export async function selectWords(page: Page, words: string): Promise<void> {
  await page.locator('.ProseMirror').evaluate((editor, w) => {
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(w);
      if (at < 0) continue;
      (editor as HTMLElement).focus();
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      return;
    }
    throw new Error(`"${w}" is not in the note`);
  }, words);
}

/** The words the editor itself holds as selected (see editorSelectionState). */
export const editorSelection = async (page: Page): Promise<string> => (await editorSelectionState(page)).text;

/**
 * Tags what `page` writes next from the keyboard: Ctrl+K, the tag's letter `key`, Enter; resolves
 * once the palette has closed and the note has the keyboard back (Tiptap returns it on the next
 * frame: typing before that is lost).
 */
export async function tagNextLine(page: Page, key: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.getByTestId('tag-palette').waitFor();
  await page.keyboard.press(key);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('tag-palette').count(), POLL).toBe(0);
  await expect.poll(() => editorFocused(page), POLL).toBe(true);
}

/**
 * Whether the note's editor has the keyboard focus. After the palette closes, Tiptap gives the
 * focus back on the next animation frame, writing its selection over the page's: wait for it
 * before clicking into the note, or the click's caret can be replaced.
 */
export function editorFocused(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false);
}

/**
 * Closes the tab as a person would (the page's beforeunload runs) and returns the kinds of dialog
 * the page asked: none when it closed without asking. A dialog is dismissed (the page stays open).
 */
export async function closeWithoutAsking(page: Page): Promise<string[]> {
  const asked: string[] = [];
  page.on('dialog', (d) => {
    asked.push(d.type());
    void d.dismiss();
  });
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await Promise.race([closed, page.waitForEvent('dialog')]);
  return asked;
}

/** A page in a fresh context, not logged in (the login page), with the same options. */
export async function openAnonymous(browser: Browser, url: string, opts: OpenOptions = {}): Promise<Page> {
  const page = await (await browser.newContext(contextOptions(opts))).newPage();
  await page.goto(url);
  return page;
}

const axeSource = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * What axe-core finds wrong on the page as it is now. Its source is injected as a script tag, so
 * the page must have been opened with `bypassCSP` (the app's CSP allows only its own scripts).
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) }));
  });
}

/** Serious and critical findings only (what must be zero). */
export const isSerious = (f: AxeFinding) => f.impact === 'serious' || f.impact === 'critical';
