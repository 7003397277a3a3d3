import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, expectStatus, type Clinic, type Person } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { tagSpan } from '../helpers/noteOps';
import type { TestServer } from '../helpers/startTestServer';
import { POLL, axeFindings, chromiumAvailable, closeContexts, isSerious, openAnonymous, pageWalk, saveScreenshot, showColorScheme, type AxeFinding } from './browser';
import { browserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

interface PageVisit {
  name: string;
  person: Person | null;
  path: string;
  ready: string;
  /** Brings the page into the state worth checking (a comment selected, a palette open…). */
  prepare?(page: Page): Promise<void>;
  /** What this page must offer a keyboard or screen reader beyond axe-core's rules (once settled). */
  check?(page: Page): Promise<void>;
}

/** Selects `words` in the review's rendered note and comments on them, as a supervisor does. */
async function commentOn(page: Page, words: string, body: string): Promise<void> {
  await page.getByTestId('review-note').evaluate((root, w) => {
    const run = Array.from(root.querySelectorAll<HTMLElement>('[data-clock]')).find((el) => el.textContent?.includes(w))!;
    const text = run.firstChild!;
    const from = text.textContent!.indexOf(w);
    const range = document.createRange();
    range.setStart(text, from);
    range.setEnd(text, from + w.length);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
  }, words);
  await page.getByTestId('comment-on-selection').click();
  await page.getByTestId('selection-comment').getByTestId('comment-input').fill(body);
  await page.getByTestId('selection-comment').getByTestId('comment-submit').click();
  await expect.poll(() => page.locator('.rn-run--commented').count(), POLL).toBeGreaterThan(0);
}

/**
 * Waits until the page's DOM has been quiet for 300 ms. A page opened in a tab of a logged-in
 * context is ready sooner, and could still be re-rendering its lists (new elements, the focus back
 * on the page) while a Tab walk ran: in CI the walk then missed every control after the fifth.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const done = () => {
      observer.disconnect();
      resolve();
    };
    let timer = setTimeout(done, 300);
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(done, 300);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  }));
}

/**
 * Presses Tab from the top of the page until the focus comes round again, and reports: the
 * visible controls in the tab order (a closed menu's items are not visible: its summary opens it),
 * the ones the focus reached, and the ones it reached with no visible mark (outline or ring; the
 * note's caret is its mark, as in any text field). The page must have settled (see settled).
 */
async function tabThrough(page: Page): Promise<{ reachable: string[]; seen: string[]; noRing: string[] }> {
  const reachable = await page.evaluate(() => {
    const controls = Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [contenteditable="true"], [tabindex]'));
    return controls
      .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.checkVisibility({ checkVisibilityCSS: true }))
      // A radio group is one tab stop (its checked radio); arrow keys move within it.
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked))
      .map((el, i) => {
        el.dataset.kb = `${i}:${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}`;
        return el.dataset.kb;
      });
  });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: string[] = [];
  const noRing: string[] = [];
  // A date field takes a Tab per part (day, month, year) before the focus leaves it.
  const dateParts = await page.evaluate(() => document.querySelectorAll('input[type="date"], input[type="datetime-local"]').length * 4);
  for (let i = 0; i < reachable.length + dateParts + 5; i++) {
    await page.keyboard.press('Tab');
    const now = await page.evaluate((last) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      // The next part of the date field just checked: blurring and focusing it again would put the focus back on its first part.
      if (last !== undefined && el.dataset.kb === last) return { id: last, ring: true };
      // The focus is marked when the control looks different focused than not (outline, ring, border).
      const look = () => {
        const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor].join('|');
      };
      const focused = look();
      el.blur();
      const unfocused = look();
      el.focus();
      return { id: el.dataset.kb ?? `(unlisted) ${el.tagName}`, ring: focused !== unfocused || el.isContentEditable };
    }, seen.at(-1));
    if (!now) continue;
    // Still in the same date field (its next part).
    if (seen.at(-1) === now.id) continue;
    if (seen.includes(now.id)) break;
    seen.push(now.id);
    if (!now.ring) noRing.push(now.id);
  }
  return { reachable, seen, noRing };
}

/**
 * The focus marks again after the theme changed, without walking the Tab order again (the order
 * does not follow the colour scheme; the marks' colours do): focuses each control the walk reached
 * (after a key press, so the browser marks the focus as it does for Tab) and reports those that
 * look the same focused and not. Null when one of them is gone from the page (re-rendered): walk
 * again then.
 */
async function marksAgain(page: Page, seen: string[]): Promise<string[] | null> {
  await page.keyboard.press('Tab');
  return page.evaluate((ids) => {
    const noRing: string[] = [];
    for (const id of ids) {
      const el = document.querySelector<HTMLElement>(`[data-kb="${CSS.escape(id)}"]`);
      if (!el) return null;
      el.focus();
      const look = () => {
        const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor].join('|');
      };
      const focused = look();
      el.blur();
      if (focused === look() && !el.isContentEditable) noRing.push(id);
    }
    return noRing;
  }, seen);
}

describe.skipIf(!hasChromium)('browser: every page passes axe-core, light and dark, and works from the keyboard', () => {
  let server: TestServer;
  let clinic: Clinic;
  let browser: Browser;
  let liveId: string;
  let signedId: string;

  beforeAll(async () => {
    ({ server, clinic, browser } = await browserClinic());
  });

  /** The sessions the pages show (made once, through the API and two Node clients). */
  async function sessions(): Promise<void> {
    if (liveId) return;
    // A live session with both therapists' words, an observation and a flag for B.
    liveId = await createSession(clinic, 'group');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${liveId}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${liveId}/start`), 200, 'start');
    // A signed one, for the review, with a passage comment from the supervisor.
    signedId = await createSession(clinic, 'group');
    await expectStatus(clinic.a.api.post(`/api/sessions/${signedId}/start`), 200, 'start');
    for (const id of [liveId, signedId]) {
      const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
      const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
      await expect.poll(() => a.provider.synced && b.provider.synced, POLL).toBe(true);
      appendParagraph(a.doc, 'M1 arrived late and sat by the door.');
      tagSpan(a.doc, 'sat by the door', { authorId: clinic.a.id, tags: ['nonverbal'], member: id === liveId ? 'M1' : null, forCoTherapist: true });
      await expect.poll(() => b.text().includes('sat by the door'), POLL).toBe(true);
      appendParagraph(b.doc, 'M2 spoke about her father for the first time.');
      tagSpan(b.doc, 'spoke about her father', { authorId: clinic.b.id, tags: ['affect'] });
      await expect.poll(() => a.isSaved() && b.isSaved(), POLL).toBe(true);
      a.destroy();
      b.destroy();
    }
    await expectStatus(clinic.a.api.post(`/api/sessions/${signedId}/end`), 200, 'end');
    await expectStatus(clinic.a.api.post(`/api/sessions/${signedId}/sign`), 200, 'sign A');
    await expectStatus(clinic.b.api.post(`/api/sessions/${signedId}/sign`), 200, 'sign B');
  }

  afterAll(async () => {
    await closeContexts(browser);
  });

  const pages = (): PageVisit[] => [
    { name: 'login', person: null, path: '/login', ready: 'login-email' },
    {
      name: 'sessions',
      person: clinic.a,
      path: '/',
      ready: 'session-title-input',
      // The first Tab stop skips the header and navigation (WCAG 2.4.1).
      check: async (page) => {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the page');
        await page.keyboard.press('Enter');
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
      },
    },
    {
      name: 'session',
      person: clinic.b,
      path: `/sessions/${liveId}`,
      ready: 'observations-panel',
      // The panel can be ready before the editor is drawn (a tab the walk loads again, its files cached): wait for it.
      check: async (page) => expect.poll(() => page.getByRole('textbox', { name: 'Session note' }).count(), POLL).toBe(1),
    },
    {
      name: 'review',
      person: clinic.supervisor,
      path: `/sessions/${signedId}/review`,
      ready: 'review-page',
      prepare: async (page) => {
        if ((await page.locator('.rn-run--commented').count()) === 0) await commentOn(page, 'M1 arrived late', 'How late?');
        await page.getByTestId('concordance-method').waitFor();
      },
    },
    {
      name: 'debrief',
      person: clinic.a,
      path: `/sessions/${signedId}/debrief`,
      ready: 'debrief-page',
      prepare: async (page) => {
        await page.getByTestId('concordance-counts').waitFor();
      },
    },
    {
      name: 'session-palette',
      person: clinic.a,
      path: `/sessions/${liveId}`,
      ready: 'observations-panel',
      prepare: async (page) => {
        await page.locator('.ProseMirror p', { hasText: 'M2 spoke' }).click();
        await page.keyboard.press('Shift+Home');
        await page.keyboard.press('Control+k');
        await page.getByTestId('tag-palette').waitFor();
        await page.keyboard.press('1');
      },
    },
    { name: 'account', person: clinic.a, path: '/account', ready: 'password-form' },
    { name: 'admin-accounts', person: clinic.admin, path: '/admin/users', ready: 'users-table' },
    {
      name: 'admin-codebook',
      person: clinic.admin,
      path: '/admin/tags',
      ready: 'tags-table',
      // Each row's buttons name their tag: a screen reader's list of buttons is not nine "Edit"s.
      check: async (page) => {
        const names = await page.getByTestId('tag-row').evaluateAll((rows) => rows.map((row) => {
          const tag = row.querySelector('strong')!.textContent;
          return Array.from(row.querySelectorAll('button'), (b) => b.textContent!.endsWith(` ${tag}`));
        }));
        expect(names.flat()).not.toContain(false);
        expect(names.length).toBeGreaterThan(0);
      },
    },
    { name: 'admin-audit', person: clinic.admin, path: '/admin/audit', ready: 'audit-table' },
    { name: 'admin-account-sessions', person: clinic.admin, path: `/admin/users/${clinic.b.id}`, ready: 'account-sessions' },
    { name: 'supervisor-desk', person: clinic.supervisor, path: '/', ready: 'review-queue' },
    { name: 'notices', person: clinic.b, path: '/notices', ready: 'notices' },
    { name: 'pairs', person: clinic.supervisor, path: '/dyads', ready: 'trend-charts' },
    { name: 'admin-competencies', person: clinic.admin, path: '/admin/competencies', ready: 'competencies-table' },
  ];

  // One walk opens each of the 15 pages once and checks it light and dark: axe-core, a screenshot
  // for a person to look at, and the Tab walk (in the first theme; in the second, the focus marks
  // of the controls it reached). (Two walks that opened a page per theme each spent
  // most of their time opening pages: 264 of 436 s on a starved machine.) Its bound catches a page
  // that never gets ready and does not time them.
  it('has no serious or critical axe-core findings on any page, light or dark, and reaches every control with Tab, showing where the focus is', async () => {
    await sessions();
    // The harness finds what it should: an image without a text alternative is reported.
    const probe = await openAnonymous(browser, `${server.baseUrl}/login`, { bypassCSP: true });
    await probe.getByTestId('login-email').waitFor();
    await probe.evaluate(() => document.querySelector('main')!.append(Object.assign(document.createElement('img'), { src: 'data:,' })));
    expect((await axeFindings(probe)).map((f) => f.id)).toContain('image-alt');
    await probe.context().close();

    const table: { page: string; theme: 'light' | 'dark'; all: number; serious: number }[] = [];
    const serious: Record<string, AxeFinding[]> = {};
    const missed: Record<string, string[]> = {};
    const unmarked: Record<string, string[]> = {};
    const walk = pageWalk(browser, server.baseUrl);
    for (const visit of pages()) {
      const page = await walk.open(visit.person, visit.path, visit.ready, { bypassCSP: true });
      await visit.prepare?.(page);
      await settled(page);
      await visit.check?.(page);
      // The controls the Tab walk reached in the first theme: the second checks only their marks.
      let walked: string[] | null = null;
      for (const theme of ['light', 'dark'] as const) {
        const where = `${visit.name} (${theme})`;
        await showColorScheme(page, theme);
        const findings = await axeFindings(page);
        table.push({ page: visit.name, theme, all: findings.length, serious: findings.filter(isSerious).length });
        if (findings.some(isSerious)) serious[where] = findings.filter(isSerious);
        await saveScreenshot(page, `a11y-${visit.name}-${theme}`);
        // The palette is open on that page: Tab would walk the palette, not the page.
        if (visit.name === 'session-palette') continue;
        const again = walked ? await marksAgain(page, walked) : null;
        if (again) {
          if (again.length) unmarked[where] = again;
          continue;
        }
        const { reachable, seen, noRing } = await tabThrough(page);
        walked = seen;
        const notReached = reachable.filter((c) => !seen.includes(c));
        if (notReached.length) missed[where] = notReached;
        if (noRing.length) unmarked[where] = noRing;
      }
    }
    await walk.close();
    console.log(['| page | theme | findings | serious or critical |', '| --- | --- | --- | --- |', ...table.map((r) => `| ${r.page} | ${r.theme} | ${r.all} | ${r.serious} |`)].join('\n'));
    expect(serious).toEqual({});
    expect(missed).toEqual({});
    expect(unmarked).toEqual({});
  }, 600_000);
});
