import type { APIResponse, Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { createClinic, createSession, type Clinic } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/startTestServer';
import { POLL, chromiumAvailable, chromiumForFile, closeContexts, closePagesAfterEachTest, editorFocused, editorSelection, heldNoteSocket, missLiveEvents, openPageAs, openSessionAs, pageWalk, saveScreenshot, typeInParagraph } from './browser';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('browser: a blind session from the start to the reveal and the debrief', () => {
  let server: TestServer;
  let clinic: Clinic;
  let sessionId: string;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    clinic = await createClinic(server.baseUrl);
    sessionId = await createSession(clinic, 'group');
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);
    browser = await chromiumForFile();
  });

  afterAll(async () => {
    await closeContexts(browser);
  });
  closePagesAfterEachTest(() => browser);

  /** Selects the paragraph's words (the line it ends with) and tags them with the first tag matching `filter`. */
  async function tagLine(page: Page, paragraph: number, words: string, filter: string) {
    await typeInParagraph(page, paragraph, words);
    await page.keyboard.press('Shift+Home');
    await expect.poll(() => editorSelection(page), POLL).toBe(words);
    await page.keyboard.press('Control+k');
    await page.getByTestId('tag-palette').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('palette-filter');
    await page.keyboard.type(filter);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('tag-palette').count(), POLL).toBe(0);
    // The keyboard is back in the note (a frame later) before anything else is clicked or typed.
    await expect.poll(() => editorFocused(page), POLL).toBe(true);
  }

  /**
   * Starts the session from `page` and waits until that page says Live. A box that just came in
   * above can move the button as it is clicked, so the click is repeated while the button is there.
   * A repeated click can find the button gone once the first one's answer arrives: it gives up
   * after a second (the poll goes on) instead of waiting Playwright's 30 s for a button that is
   * not coming back (seen: the file's first test took 57 s instead of 27 s).
   */
  async function startSession(page: Page) {
    await expect.poll(async () => {
      const status = await page.getByTestId('session-status').innerText();
      if (status !== 'Live' && (await page.getByTestId('session-start').count()) > 0) {
        await page.getByTestId('session-start').click({ timeout: 1_000 }).catch(() => undefined);
      }
      return status;
    }, POLL).toBe('Live');
  }

  it('two therapists observe privately, reveal, compare and write their debrief; the supervisor sees it', { timeout: 180_000 }, async () => {
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, sessionId);

    // Chosen before the start, then it is fixed.
    // The box shows the choice at once; the status below it, once the setting is stored.
    await a.getByTestId('blind-toggle').click();
    await expect.poll(() => a.getByTestId('blind-toggle').isChecked(), POLL).toBe(true);
    await expect.poll(() => a.getByTestId('blind-status').count(), POLL).toBe(1);
    await saveScreenshot(a, 'blind-1-chosen-before-start');
    await startSession(a);
    await expect.poll(() => b.getByTestId('session-status').innerText(), POLL).toBe('Live');
    await expect.poll(() => b.getByTestId('blind-status').count(), POLL).toBe(1);
    await expect.poll(() => a.getByTestId('blind-toggle').count(), POLL).toBe(0);

    // A tags privately: drawn in A's editor only, listed for A only; B's editor has nothing.
    await tagLine(a, 1, 'M1 went quiet when his brother spoke.', 'aff');
    await expect.poll(() => a.getByTestId('private-observation').count(), POLL).toBe(1);
    await expect.poll(() => a.locator('.ProseMirror .private-observation').count(), POLL).toBe(1);
    await tagLine(b, 2, 'M2 changed the subject twice.', 'group');
    await expect.poll(() => b.getByTestId('private-observation').count(), POLL).toBe(1);
    await expect.poll(() => b.locator('.ProseMirror').innerText(), POLL).toContain('M1 went quiet');
    expect(await b.locator('.ProseMirror .private-observation').count()).toBe(1);
    expect(await b.locator('.ProseMirror span[data-observation]').count()).toBe(0);
    expect(await b.getByTestId('private-observation').innerText()).toContain('changed the subject');
    // Collapse the selections, so the screenshots show how a private observation is drawn.
    for (const page of [a, b]) await page.keyboard.press('End');
    await saveScreenshot(a, 'blind-2-private-a');
    await saveScreenshot(b, 'blind-3-private-b');

    // One Reveal waits for the other.
    await a.getByTestId('blind-reveal').click();
    await expect.poll(() => a.getByTestId('blind-waiting').innerText(), POLL).toMatch(/Waiting for Blair Therapist/);
    expect(await b.locator('.ProseMirror span[data-observation]').count()).toBe(0);
    await saveScreenshot(a, 'blind-4-waiting');

    // B is told that A is waiting (the panel reads the blind state every few seconds).
    await expect.poll(() => b.getByTestId('blind-asked').innerText(), POLL).toMatch(/Alex Therapist pressed Reveal and is waiting for you/);

    // Both: the observations are in the note, marked, with their authors, on both pages.
    await b.getByTestId('blind-reveal').click();
    await expect.poll(() => b.locator('.ProseMirror span[data-observation]').count(), POLL).toBe(2);
    await expect.poll(() => a.locator('.ProseMirror span[data-observation]').count(), POLL).toBe(2);
    await expect.poll(() => a.getByTestId('blind-revealed').count(), POLL).toBe(1);
    await expect.poll(() => a.locator('.ProseMirror .private-observation').count(), POLL).toBe(0);
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations.map((o) => [o.authorId, o.quote])).toEqual([
      [clinic.a.id, 'M1 went quiet when his brother spoke.'],
      [clinic.b.id, 'M2 changed the subject twice.'],
    ]);
    await saveScreenshot(b, 'blind-5-revealed');

    // The supervisor's review: where they agreed and what each caught alone.
    const sup = await openPageAs(browser, server.baseUrl, clinic.supervisor, `/sessions/${sessionId}/review`, 'review-page');
    // Within a minute of each other, neither naming a member: one moment, tagged differently.
    await expect.poll(() => sup.getByTestId('concordance-item').count(), POLL).toBe(1);
    expect(await sup.getByTestId('concordance-item').getAttribute('data-kind')).toBe('differentTags');
    expect(await sup.getByTestId('concordance-counts').innerText()).toMatch(/1\s+same moment, tagged differently/);
    expect(await sup.getByTestId('concordance-method').innerText()).toContain('Unit of analysis: the moment');
    await sup.getByTestId('concordance').scrollIntoViewIfNeeded();
    await saveScreenshot(sup, 'blind-6-review-concordance');

    // The debrief, written by both: B sees A's words arrive, the supervisor reads it.
    await a.goto(`${server.baseUrl}/sessions/${sessionId}/debrief`);
    await b.goto(`${server.baseUrl}/sessions/${sessionId}/debrief`);
    await a.getByTestId('debrief-input-noticedA').fill('I caught M1 going quiet; I missed the subject changes.');
    await expect.poll(() => a.getByTestId('debrief-status-noticedA').innerText(), POLL).toMatch(/Saved by Alex Therapist/);
    // What A noticed is A's own account: B reads it and cannot write it.
    await expect.poll(() => b.getByTestId('debrief-text-noticedA').innerText(), POLL).toBe('I caught M1 going quiet; I missed the subject changes.');
    expect(await b.getByTestId('debrief-not-yours-noticedA').isVisible()).toBe(true);
    await b.getByTestId('debrief-input-checkIn').fill('Good pacing.');
    await expect.poll(() => b.getByTestId('debrief-status-checkIn').innerText(), POLL).toMatch(/Saved by Blair Therapist/);
    await b.getByTestId('debrief-input-checkIn').fill('Good pacing; next time I take the opening round.');
    // The words the rewrite replaced stay under the field, with who saved them and when.
    await b.getByTestId('debrief-earlier-checkIn').locator('summary').click();
    await expect.poll(() => b.getByTestId('debrief-earlier-checkIn-1').innerText(), POLL).toMatch(/Version 1, saved by Blair Therapist.*Good pacing\./);
    await expect.poll(() => b.getByTestId('debrief-status-checkIn').innerText(), POLL).toMatch(/Saved by Blair Therapist/);
    await expect.poll(() => b.getByTestId('concordance-item').count(), POLL).toBe(1);
    await saveScreenshot(b, 'blind-7-debrief');
    // The supervisor goes on from the review to the debrief in the same tab.
    const supDebrief = sup;
    await supDebrief.goto(`${server.baseUrl}/sessions/${sessionId}/debrief`);
    await supDebrief.getByTestId('debrief-page').waitFor();
    await expect.poll(() => supDebrief.getByTestId('debrief-text-checkIn').innerText(), POLL).toBe('Good pacing; next time I take the opening round.');
    expect(await supDebrief.getByTestId('debrief-input-checkIn').count()).toBe(0);
    await saveScreenshot(supDebrief, 'blind-8-debrief-supervisor');

    // The same pages on the supervisor's phone in dark mode: nothing runs off the side.
    const phone = pageWalk(browser, server.baseUrl);
    for (const [path, ready, name] of [
      [`/sessions/${sessionId}/debrief`, 'debrief-page', 'blind-9-debrief-phone-dark'],
      [`/sessions/${sessionId}/review`, 'concordance-kappa', 'blind-10-concordance-phone-dark'],
    ] as const) {
      const page = await phone.open(clinic.supervisor, path, ready, { phone: true, colorScheme: 'dark' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await saveScreenshot(page, name);
    }
    await phone.close();
  });

  // The page learns that the session moved on when the server closes its connection. A page whose
  // connection was not open at that moment (still connecting, or the network away) was never told:
  // CI saw B's page stay "Scheduled" after A started.
  it('tells a co-therapist whose note was not connected when the session started, once it connects', { timeout: 120_000 }, async () => {
    const missed = await createSession(clinic, 'individual');
    const socket = heldNoteSocket();
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, missed);
    // B's page shows the session, not yet its note: this device never had it (connectionTruth).
    // Every connection B's page opens is closed at once until the session has started. Its live
    // event stream, which tells of a start too since 6 Dec, is kept away: the note's own connection
    // is what this is about.
    const b = await openPageAs(browser, server.baseUrl, clinic.b, `/sessions/${missed}`, 'session-status', {
      prepare: (context) => Promise.all([socket.prepare(context), missLiveEvents(context)]),
    });
    expect(await b.getByTestId('session-status').innerText()).toBe('Scheduled');
    await startSession(a);
    expect(await b.getByTestId('session-status').innerText()).toBe('Scheduled');
    socket.release();
    await expect.poll(() => b.getByTestId('session-status').innerText(), POLL).toBe('Live');
    await typeInParagraph(b, 1, 'Arrived late to the start.');
    await expect.poll(() => a.locator('.ProseMirror').innerText(), POLL).toContain('Arrived late to the start.');
  });

  // B's page read the blind setting when it opened, and again only once the session started: A's
  // choice before the start never showed there, though the server closes the note's connection
  // to say the session changed.
  it("shows the co-therapist's choice of blind mode before the session starts", { timeout: 120_000 }, async () => {
    const chosen = await createSession(clinic, 'individual');
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, chosen);
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, chosen);
    await b.getByTestId('blind-toggle').waitFor();
    expect(await b.getByTestId('blind-toggle').isChecked()).toBe(false);
    await a.getByTestId('blind-toggle').click();
    await expect.poll(() => a.getByTestId('blind-toggle').isChecked(), POLL).toBe(true);
    await expect.poll(() => b.getByTestId('blind-toggle').isChecked(), POLL).toBe(true);
    expect(await b.getByTestId('session-status').innerText()).toBe('Scheduled');
  });

  // Walk, 5 Dec: the box turned on only when the server answered, and seemed not to take the click.
  it('shows the blind choice at once while it is being saved, then as the server stored it', { timeout: 120_000 }, async () => {
    const chosen = await createSession(clinic, 'individual');
    let release = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, chosen, {
      prepare: (context) =>
        context.route(/\/blind$/, async (route: Route) => {
          if (route.request().method() !== 'PUT') return route.continue().catch(() => undefined);
          held++;
          await answered;
          await route.continue().catch(() => undefined);
        }),
    });
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, chosen);
    await b.getByTestId('blind-toggle').waitFor();
    await a.getByTestId('blind-toggle').click();
    await expect.poll(() => held, POLL).toBe(1);
    expect(await a.getByTestId('blind-toggle').isChecked()).toBe(true);
    expect(await a.getByTestId('blind-saving').innerText()).toContain('Saving');
    expect(await b.getByTestId('blind-toggle').isChecked()).toBe(false);
    release();
    await expect.poll(() => a.getByTestId('blind-saving').count(), POLL).toBe(0);
    expect(await a.getByTestId('blind-toggle').isChecked()).toBe(true);
    await expect.poll(() => b.getByTestId('blind-toggle').isChecked(), POLL).toBe(true);
  });

  // A read of my private observations that left before my new one was stored, and answered after
  // it, took it off my list (CI: tagged, and the list stayed empty).
  it('keeps my new private observation on my list when an older read of the list answers after it', { timeout: 120_000 }, async () => {
    const slow = await createSession(clinic, 'individual');
    const reads = heldReads(/\/blind\/observations$/);
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, slow, { prepare: reads.prepare });
    await openSessionAs(browser, server.baseUrl, clinic.b, slow);
    await a.getByTestId('blind-toggle').click();
    await expect.poll(() => a.getByTestId('blind-toggle').isChecked(), POLL).toBe(true);

    const before = reads.hold();
    await startSession(a);
    // The page reads the list as the session starts; that read is held, answered as it was then.
    await expect.poll(() => before.length, POLL).toBeGreaterThan(0);
    await tagLine(a, 1, 'Paused before naming the loss.', 'aff');
    await expect.poll(() => a.getByTestId('private-observation').count(), POLL).toBe(1);

    const after = reads.hold();
    const polls = countReads(a, '/blind');
    await reads.release(before);
    // Two polls after the old answers went out (one every 3 s): by the second, the old answers
    // have been handled, and any newer read of the list is still held.
    await expect.poll(polls, POLL).toBeGreaterThanOrEqual(2);
    expect(await a.getByTestId('private-observation').count()).toBe(1);
    reads.stop();
    await reads.release(after);
    await expect.poll(() => a.getByTestId('private-observation').innerText(), POLL).toContain('Paused before naming the loss.');
  });

  // The same kind in the debrief: a read that left before my save and answered after it put the
  // field's earlier text back on screen, and my next save was refused as a conflict with myself.
  it('keeps my saved debrief text on screen when an older read of the debrief answers after my save', { timeout: 120_000 }, async () => {
    const slow = await createSession(clinic, 'individual');
    const reads = heldReads(/\/debrief$/);
    const a = await openPageAs(browser, server.baseUrl, clinic.a, `/sessions/${slow}/debrief`, 'debrief-page', { prepare: reads.prepare });
    const before = reads.hold();
    // B saves a field; A's page sees a new version and reads the debrief (held, as it was then).
    const saved = await clinic.b.api.request('PUT', `/api/sessions/${slow}/debrief/checkIn`, { body: 'B opened well.', baseVersion: 0 });
    expect(saved.status).toBe(200);
    await expect.poll(() => before.length, POLL).toBeGreaterThan(0);
    await a.getByTestId('debrief-input-noticedA').fill('I missed the pause after the loss.');
    await expect.poll(() => a.getByTestId('debrief-status-noticedA').innerText(), POLL).toMatch(/Saved by Alex Therapist/);

    const after = reads.hold();
    const polls = countReads(a, '/debrief/versions');
    await reads.release(before);
    await expect.poll(polls, POLL).toBeGreaterThanOrEqual(2);
    expect(await a.getByTestId('debrief-input-noticedA').inputValue()).toBe('I missed the pause after the loss.');
    expect(await a.getByTestId('debrief-input-checkIn').inputValue()).toBe('B opened well.');
    reads.stop();
    await reads.release(after);
    await a.getByTestId('debrief-input-noticedA').fill('I missed the pause after the loss, twice.');
    await expect.poll(() => a.getByTestId('debrief-status-noticedA').innerText(), POLL).toMatch(/Saved by Alex Therapist/);
    expect(await a.getByTestId(`debrief-conflict-noticedA`).count()).toBe(0);
  });

  // A walk (4 Dec): when both had changed a field, the page offered only one text or the other.
  it('keeps both texts of a debrief field both therapists changed at once, theirs first, when asked', { timeout: 120_000 }, async () => {
    const sessionId = await createSession(clinic, 'individual');
    let letThrough: () => void = () => {};
    const held = new Promise<void>((resolve) => (letThrough = resolve));
    const reads = heldReads(/\/debrief$/);
    const a = await openPageAs(browser, server.baseUrl, clinic.a, `/sessions/${sessionId}/debrief`, 'debrief-page', {
      // A's first save waits until B has saved the same field: the server then refuses it as changed meanwhile.
      prepare: async (context) => {
        await reads.prepare(context);
        await context.route(/\/debrief\/checkIn$/, async (route) => {
          await held;
          await route.continue();
        });
      },
    });
    await a.getByTestId('debrief-input-checkIn').fill('I felt rushed at the end.');
    await expect.poll(() => a.getByTestId('debrief-status-checkIn').innerText(), POLL).toBe('Saving…');
    expect((await clinic.b.api.request('PUT', `/api/sessions/${sessionId}/debrief/checkIn`, { body: 'B opened well.', baseVersion: 0 })).status).toBe(200);
    // The read that brings B's text after the refusal is slow: until it answers, nothing is offered
    // (a quick "Keep both" joined the field's older text and was refused again; CI, 4 Dec).
    const refusedRead = reads.hold();
    const refused = a.waitForResponse((r) => r.url().endsWith('/debrief/checkIn') && r.status() === 409);
    letThrough();
    await refused;
    await expect.poll(() => refusedRead.length, POLL).toBeGreaterThan(0);
    expect(await a.getByTestId('debrief-keep-both-checkIn').count()).toBe(0);
    reads.stop();
    await reads.release(refusedRead);
    await a.getByTestId('debrief-keep-both-checkIn').click();
    await expect.poll(() => a.getByTestId('debrief-status-checkIn').innerText(), POLL).toMatch(/Saved by Alex Therapist/);
    const stored = (await clinic.b.api.get<{ fields: { field: string; body: string }[] }>(`/api/sessions/${sessionId}/debrief`)).body.fields.find((f) => f.field === 'checkIn')?.body;
    expect(stored).toBe('B opened well.\n\nI felt rushed at the end.');
  });

  // A clinician walk: text typed while the server was down stayed "Not saved yet" after it came
  // back, and a reload lost it.
  // A walk (4 Dec): text typed just before "← Open the note" was gone on coming back, and so was a
  // conflict's own text: only a reload asked first.
  it('saves debrief text at once on leaving the page, and asks before leaving text it cannot save', { timeout: 120_000 }, async () => {
    const sessionId = await createSession(clinic, 'individual');
    const a = await openPageAs(browser, server.baseUrl, clinic.a, `/sessions/${sessionId}/debrief`, 'debrief-page');
    const asked: string[] = [];
    a.on('dialog', (d) => {
      asked.push(d.message());
      void (asked.length === 1 ? d.dismiss() : d.accept());
    });
    await a.getByTestId('debrief-input-noticedA').fill('Noticed the pause before the loss.');
    await a.getByRole('link', { name: '← Open the note' }).click();
    await a.locator('.ProseMirror').waitFor();
    expect(asked).toEqual([]);
    const body = async (field: string) => (await clinic.b.api.get<{ fields: { field: string; body: string }[] }>(`/api/sessions/${sessionId}/debrief`)).body.fields.find((f) => f.field === field)?.body;
    await expect.poll(() => body('noticedA'), POLL).toBe('Noticed the pause before the loss.');

    // A conflict's own text is asked about: dismissed, the page stays with it; accepted, it goes.
    await a.goBack();
    await a.getByTestId('debrief-page').waitFor();
    await a.getByTestId('debrief-input-checkIn').fill('Mine: she opened with work.');
    expect((await clinic.b.api.request('PUT', `/api/sessions/${sessionId}/debrief/checkIn`, { body: 'Theirs: she opened with sleep.', baseVersion: 0 })).status).toBe(200);
    await a.getByTestId('debrief-keep-both-checkIn').waitFor();
    await a.getByRole('link', { name: '← Open the note' }).click();
    await expect.poll(() => asked.length, POLL).toBe(1);
    expect(asked[0]).toMatch(/not saved/);
    expect(await a.getByTestId('debrief-input-checkIn').inputValue()).toBe('Mine: she opened with work.');
    await a.getByRole('link', { name: '← Open the note' }).click();
    await a.locator('.ProseMirror').waitFor();
    expect(asked).toHaveLength(2);
    expect(await body('checkIn')).toBe('Theirs: she opened with sleep.');
  });

  it('saves debrief text typed while the server was out of reach once it answers again', { timeout: 120_000 }, async () => {
    const sessionId = await createSession(clinic, 'individual');
    let reachable = false;
    const a = await openPageAs(browser, server.baseUrl, clinic.a, `/sessions/${sessionId}/debrief`, 'debrief-page', {
      prepare: (context) => context.route(/\/debrief\/noticedA$/, (route) => (reachable ? route.continue() : route.abort('connectionrefused'))),
    });
    await a.getByTestId('debrief-input-noticedA').fill('Typed while the server was down.');
    await expect.poll(() => a.getByTestId('debrief-error-noticedA').innerText(), POLL).toMatch(/could not be reached\. It is sent as soon as the server answers/);
    reachable = true;
    await expect.poll(() => a.getByTestId('debrief-status-noticedA').innerText(), POLL).toMatch(/Saved by Alex Therapist/);
    expect((await clinic.b.api.get<{ fields: { field: string; body: string }[] }>(`/api/sessions/${sessionId}/debrief`)).body.fields.find((f) => f.field === 'noticedA')?.body).toBe('Typed while the server was down.');
  });
});

type HeldRead = { route: Route; response: APIResponse };

/**
 * Makes reads slow on demand: while a hold is up, a GET whose path matches `pattern` is read from
 * the server at once, and its answer reaches the page only when that hold is released.
 */
function heldReads(pattern: RegExp) {
  let current: HeldRead[] | null = null;
  return {
    prepare: (context: BrowserContext) =>
      context.route(pattern, async (route) => {
        const hold = current;
        // The test may end, closing its context, while a read is on its way: then there is nothing
        // to pass on or hold (seen once in CI as an unhandled "Request context disposed").
        if (route.request().method() !== 'GET' || !hold) return route.continue().catch(() => undefined);
        const response = await route.fetch().catch(() => null);
        if (response) hold.push({ route, response });
      }),
    /** Holds every read from now on (until the next hold, or stop). */
    hold(): HeldRead[] {
      current = [];
      return current;
    },
    stop(): void {
      current = null;
    },
    async release(hold: HeldRead[]): Promise<void> {
      for (const { route, response } of hold.splice(0)) await route.fulfill({ response });
    },
  };
}

/** Counts the page's GETs of paths ending in `pathEnd` from now on. */
function countReads(page: Page, pathEnd: string): () => number {
  let count = 0;
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname.endsWith(pathEnd)) count++;
  });
  return () => count;
}
