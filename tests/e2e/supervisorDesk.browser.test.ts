import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessionColors } from '../../shared/domain/color';
import type { Observation } from '../../shared/domain/observation';
import type { DyadView } from '../../shared/domain/supervisor';
import { createClinic, createPerson, expectStatus, type Clinic, type Person } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { pairSession, step } from '../helpers/desk';
import { answerFlag, tagSpan } from '../helpers/noteOps';
import { startTestServer, type TestServer } from '../helpers/startTestServer';
import { POLL, chromiumAvailable, chromiumForFile, closeContexts, closePagesAfterEachTest, openPageAs, pageWalk, saveScreenshot } from './browser';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('browser: the supervisor’s desk', () => {
  let server: TestServer;
  let clinic: Clinic;
  let browser: Browser;
  let carol: Person;
  const notes: { id: string; title: string; obs: Observation }[] = [];

  /** A signed note of the pair, written by both therapists' clients, with a flag from A that B answered. */
  async function signedNote(people: { a: Person; b: Person; supervisor: Person }, title: string, scheduledAt: string) {
    const id = await pairSession(people, title, { scheduledAt });
    await expectStatus(people.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'members');
    await step(people.a.api, id, 'start');
    const a = connectClient(server.baseUrl, id, people.a.api.cookie);
    const b = connectClient(server.baseUrl, id, people.b.api.cookie);
    // Setup, outside a test: vi.waitFor (expect.poll runs only inside one).
    await vi.waitFor(() => expect(a.provider.synced && b.provider.synced).toBe(true), POLL);
    appendParagraph(a.doc, `${title}: M1 arrived late and sat by the door; M2 spoke about her father.`);
    const obs = tagSpan(a.doc, 'sat by the door', { authorId: people.a.id, tags: ['nonverbal'], member: 'M1', forCoTherapist: true });
    await vi.waitFor(() => expect(b.doc.getMap('observations').has(obs.id)).toBe(true), POLL);
    tagSpan(b.doc, 'spoke about her father', { authorId: people.b.id, tags: ['affect'], member: 'M2' });
    answerFlag(b.doc, obs.id, { by: people.b.id, at: Date.now(), answer: 'acknowledged', note: null });
    await vi.waitFor(() => expect(a.isSaved() && b.isSaved()).toBe(true), POLL);
    a.destroy();
    b.destroy();
    await step(people.a.api, id, 'end');
    await step(people.a.api, id, 'sign');
    await step(people.b.api, id, 'sign');
    return { id, title, obs };
  }

  beforeAll(async () => {
    server = await startTestServer();
    clinic = await createClinic(server.baseUrl);
    browser = await chromiumForFile();
    carol = await createPerson(clinic.admin.api, 'clinician', 'Carol Cotherapist');
    // A week: three notes of the pair A & B wait for the supervisor; a second pair (A & Carol) had one co-signed.
    notes.push(await signedNote(clinic, 'Monday group', '2026-11-23T09:00:00Z'));
    notes.push(await signedNote(clinic, 'Wednesday group', '2026-11-25T09:00:00Z'));
    notes.push(await signedNote(clinic, 'Friday group', '2026-11-27T09:00:00Z'));
    const other = await signedNote({ a: clinic.a, b: carol, supervisor: clinic.supervisor }, 'Tuesday family', '2026-11-24T15:00:00Z');
    await step(clinic.supervisor.api, other.id, 'cosign');
  }, 120_000);

  afterAll(async () => {
    await closeContexts(browser);
  });
  closePagesAfterEachTest(() => browser);

  const count = (page: Page, state: string) => page.getByTestId(`queue-count-${state}`).innerText().then((t) => Number.parseInt(t, 10));
  // The bell shows no count while nothing is unread; allInnerTexts does not wait for the badge
  // (innerText waited out Playwright's 30 s action timeout for it).
  const unreadShown = async (page: Page) => Number((await page.getByTestId('notice-count').allInnerTexts())[0] ?? '0');

  it('works through a queue of three notes: comments, a therapist replies live, co-signs, and the therapist sees it', { timeout: 180_000 }, async () => {
    const desk = await openPageAs(browser, server.baseUrl, clinic.supervisor, '/', 'review-queue');
    await expect.poll(() => count(desk, 'awaiting_cosign'), POLL).toBe(3);
    expect(await count(desk, 'reviewed')).toBe(1);
    await saveScreenshot(desk, 'desk-supervisor-queue');

    // B has the first note open in the editor, and its inbox in the header.
    const first = notes[0]!;
    const therapist = await openPageAs(browser, server.baseUrl, clinic.b, `/sessions/${first.id}`, 'comments-margin');
    await expect.poll(() => therapist.getByTestId('margin-comment-count').innerText(), POLL).toBe('0');
    const { unread: unreadBefore } = await expectStatus<{ unread: number }>(clinic.b.api.request('GET', '/api/notices'), 200, 'notices');
    await expect.poll(() => unreadShown(therapist), POLL).toBe(unreadBefore);

    // The supervisor takes the oldest waiting note from the queue and comments on A's flag.
    await desk.getByTestId('queue-row').filter({ hasText: first.title }).getByTestId('queue-link').click();
    await desk.getByTestId('review-page').waitFor();
    const observation = desk.locator(`[data-observation-id="${first.obs.id}"]`);
    await observation.getByTestId('observation-comment').click();
    await observation.getByTestId('comment-input').fill('What made you flag this for Blair rather than say it in the room?');
    await observation.getByTestId('comment-submit').click();
    await expect.poll(() => observation.getByTestId('comment-thread').count(), POLL).toBe(1);

    // B's open page shows it without a reload: the margin's count, the thread, and a new notice.
    await expect.poll(() => therapist.getByTestId('margin-comment-count').innerText(), POLL).toBe('1');
    await expect.poll(() => unreadShown(therapist), POLL).toBeGreaterThan(unreadBefore);
    const margin = therapist.getByTestId('comments-margin');
    expect(await margin.getByTestId('comment-thread').innerText()).toContain('What made you flag this');
    await saveScreenshot(therapist, 'desk-therapist-margin-comment');

    // B replies from the margin; the supervisor's review page shows the reply live, and that B read the thread.
    await margin.getByTestId('comment-reply').click();
    await margin.getByTestId('comment-input').fill('It was about the door, and I did not want to interrupt M2.');
    await margin.getByTestId('comment-submit').click();
    await expect.poll(() => observation.getByTestId('comment-thread').innerText(), POLL).toContain('I did not want to interrupt M2');
    await expect.poll(() => observation.getByTestId('thread-readers').innerText(), POLL).toContain(clinic.b.name);
    await observation.getByTestId('thread-resolve').click();
    await expect.poll(() => margin.getByTestId('thread-status').getAttribute('data-resolved'), POLL).toBe('true');

    // A supervision note, coded, apart from the record.
    await desk.getByTestId('supervision-input').fill('Blair held back to protect M2; talk about when to interrupt.');
    await desk.getByTestId('supervision-notes').getByLabel('Process commentary').check();
    await desk.getByTestId('supervision-submit').click();
    await expect.poll(() => desk.getByTestId('supervision-note').count(), POLL).toBe(1);
    await saveScreenshot(desk, 'desk-review-thread-and-supervision-note');

    // Co-sign; B sees it: a notice arrives, and the inbox says so.
    desk.on('dialog', (dialog) => void dialog.accept());
    const unreadNow = Number(await therapist.getByTestId('notice-count').innerText());
    await desk.getByTestId('cosign').click();
    await expect.poll(() => desk.getByTestId('review-status').innerText(), POLL).toBe('Reviewed');
    await expect.poll(async () => Number(await therapist.getByTestId('notice-count').innerText()), POLL).toBe(unreadNow + 1);
    await therapist.getByTestId('notice-bell').click();
    await therapist.getByTestId('notices').waitFor();
    expect(await therapist.getByTestId('notice').first().innerText()).toContain(`${clinic.supervisor.name} co-signed “${first.title}”`);
    await saveScreenshot(therapist, 'desk-therapist-notices');

    // Back at the desk: the two other notes, co-signed in turn.
    for (const note of notes.slice(1)) {
      await desk.getByRole('link', { name: 'Sessions' }).click();
      await desk.getByTestId('review-queue').waitFor();
      await desk.getByTestId('queue-row').filter({ hasText: note.title }).getByTestId('queue-link').click();
      await desk.getByTestId('cosign').click();
      await expect.poll(() => desk.getByTestId('review-status').innerText(), POLL).toBe('Reviewed');
    }
    await desk.getByRole('link', { name: 'Sessions' }).click();
    await expect.poll(() => count(desk, 'awaiting_cosign'), POLL).toBe(0);
    expect(await count(desk, 'reviewed')).toBe(4);
  });

  // Each of these pages is checked light and dark (axe-core's contrast rules, a screenshot) by the
  // a11y walk; here, on a phone.
  it('fits every new page on a phone (the desk, notices, pairs and a review) and filters the audit log by person', { timeout: 360_000 }, async () => {
    const phonePages: [Person, string, string, string][] = [
      [clinic.supervisor, '/', 'review-queue', 'desk-home'],
      [clinic.b, '/notices', 'notices', 'desk-notices'],
      [clinic.supervisor, '/dyads', 'trend-charts', 'desk-dyads'],
      [clinic.supervisor, `/sessions/${notes[0]!.id}/review`, 'supervision-notes', 'desk-review'],
    ];
    const walk = pageWalk(browser, server.baseUrl);
    // Nothing scrolls sideways but the tables inside their own boxes.
    for (const [person, path, ready, name] of phonePages) {
      const phone = await walk.open(person, path, ready, { phone: true });
      if (name === 'desk-dyads') {
        // The pair A & B (the list is sorted by name, and which of a pair is named first follows
        // their account ids, so A & Carol came first in some runs: one session, no line to draw).
        const pairIds = [clinic.a.id, clinic.b.id].sort();
        await phone.getByTestId('dyad-choice').selectOption(pairIds.join(','));
        await expect.poll(() => phone.locator('.recharts-surface').count(), POLL).toBeGreaterThan(0);
        // Each therapist's series in the colour they have everywhere else (by order, the pair's were swapped: walk, 4 Dec).
        const strokes = async () => [...new Set(await phone.locator('.recharts-line-curve').evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke'))))].sort();
        const pair = (await clinic.supervisor.api.get<DyadView>(`/api/dyads/trend?ids=${pairIds.join(',')}`)).body.people;
        await expect.poll(strokes, POLL).toEqual(pair.map((p) => p.color).sort());
        // The colours their sessions give them (each their own colour, unless the first has it).
        const own = sessionColors(pair.map((p) => p.id));
        expect(pair.map((p) => p.color)).toEqual(pair.map((p) => own.get(p.id)));
        // Every tag and code is named under its bars, also on a phone (recharts dropped the labels that would overlap: walk, 4 Dec).
        const trend = (await clinic.supervisor.api.get<DyadView>(`/api/dyads/trend?ids=${pairIds.join(',')}`)).body;
        for (const [title, counts] of [['Observations by tag (all sessions)', (t: DyadView['totals'][number]) => t.byTag], ['Supervision codes received (all sessions)', (t: DyadView['totals'][number]) => t.codes]] as const) {
          const figure = phone.getByRole('figure', { name: title });
          // The x axis's labels are the slanted ones (recharts draws every axis's labels in one layer).
          const named = await figure.locator('text.recharts-cartesian-axis-tick-value[transform*="rotate(-35"]').allTextContents();
          expect(named.sort(), title).toEqual([...new Set(trend.totals.flatMap((t) => Object.keys(counts(t))))].sort());
          await saveScreenshot(figure, `desk-dyads-phone-${title.split(' ')[0]!.toLowerCase()}`);
        }
        // Each session named too, also two of one day (one of them had no name: walk, 4 Dec).
        const made = phone.getByRole('figure', { name: 'Observations made' });
        expect(await made.locator('text.recharts-cartesian-axis-tick-value[transform*="rotate(-35"]').count()).toBe(trend.rows.length);
        await saveScreenshot(made, 'desk-dyads-phone-made');
      }
      expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), name).toBe(true);
      // The review's actions keep each label on one line (the row wraps instead): the lines each label's words stand on.
      const labelLines = (els: Element[]) => els.map((e) => {
        const range = document.createRange();
        range.selectNodeContents(e);
        return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
      });
      if (name === 'desk-review') expect(await phone.locator('.review-header__actions > .button').evaluateAll(labelLines)).toEqual([1, 1, 1, 1]);
      await saveScreenshot(phone, `${name}-phone`);
    }
    await walk.close();
    // The audit log's filters: a person narrows it to their rows, and visits show as one row.
    const audit = await openPageAs(browser, server.baseUrl, clinic.admin, '/admin/audit', 'audit-table');
    await audit.getByTestId('audit-person').selectOption(clinic.b.id);
    await expect.poll(async () => new Set(await audit.getByTestId('audit-row').locator('td:nth-child(2)').allInnerTexts()), POLL).toEqual(new Set([clinic.b.name]));
    expect(await audit.locator('[data-action="session_left"]').count()).toBe(0);
    await saveScreenshot(audit, 'desk-audit-filtered');
  });
});
