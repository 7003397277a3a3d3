import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CommentView } from '../../shared/domain/review';
import { createClinic, createSession, type ApiClient, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { answerFlag, appendHeading, tagSpan } from '../helpers/noteOps';
import { startTestServer, type TestServer } from '../helpers/startTestServer';
import { POLL, chromiumAvailable, chromiumForFile, closeContexts, closePagesAfterEachTest, openPageAs, saveScreenshot } from './browser';

const hasChromium = chromiumAvailable();

interface Timeline {
  startedAt: number;
  points: number[];
}

async function ok(api: ApiClient, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await api.request(method, path, body ?? {});
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The rendered note's text (without late-entry labels and comment numbers). */
function reviewNoteText(page: Page): Promise<string> {
  return page.getByTestId('review-note').evaluate((root) => {
    const copy = root.cloneNode(true) as HTMLElement;
    for (const el of copy.querySelectorAll('.rn-late, .rn-comment-ref')) el.remove();
    return copy.innerText;
  });
}

describe.skipIf(!hasChromium)('browser: the supervisor reviews a signed session', () => {
  let server: TestServer;
  let clinic: Clinic;
  let sessionId: string;
  let browser: Browser;
  /** Server time of the stored change that added A's line (and its observation). */
  let firstLineAt: number;
  let timeline: Timeline;

  beforeAll(async () => {
    // Replay history is kept per time bucket (15 s by default); one second lets this short
    // script show distinct moments.
    server = await startTestServer({ env: { TANDEM_HISTORY_RESOLUTION_MS: '1000' } });
    clinic = await createClinic(server.baseUrl);
    browser = await chromiumForFile();
  });

  /** A session written by two therapists' Node clients, ended and signed by both, through the API. */
  async function signedSession(): Promise<void> {
    sessionId = await createSession(clinic, 'group');
    const base = `/api/sessions/${sessionId}`;
    await ok(clinic.a.api, 'PUT', `${base}/group-members`, { labels: ['M1', 'M2'] });
    await ok(clinic.a.api, 'POST', `${base}/start`);

    // A's line and a flag for B, then B's line; B acknowledges the flag.
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced, POLL).toBe(true);
    appendParagraph(a.doc, 'First: M1 arrived late and sat by the door.');
    const flag = tagSpan(a.doc, 'sat by the door', { authorId: clinic.a.id, tags: ['nonverbal'], member: 'M1', forCoTherapist: true });
    await expect.poll(() => a.isSaved(), POLL).toBe(true);
    const afterFirst = await clinic.a.api.get<Timeline>(`${base}/timeline`);
    firstLineAt = afterFirst.body.points.at(-1)!;
    // Let the clock move on by more than the history's one-second resolution before the next change.
    await expect.poll(() => Date.now() > firstLineAt + 1200, { timeout: 5000, interval: 50 }).toBe(true);

    await expect.poll(() => b.doc.getMap('observations').has(flag.id), POLL).toBe(true);
    appendParagraph(b.doc, 'Second: M2 spoke about her father for the first time.');
    tagSpan(b.doc, 'spoke about her father', { authorId: clinic.b.id, tags: ['affect'], member: 'M2' });
    answerFlag(b.doc, flag.id, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => a.isSaved() && b.isSaved() && a.text().includes('Second:'), POLL).toBe(true);
    // A's third line, from which B deletes a word: the review keeps it, struck through.
    appendParagraph(a.doc, 'Third: mood not low today.');
    await expect.poll(() => b.text().includes('Third:'), POLL).toBe(true);
    const third = b.doc.getXmlFragment('note').toArray().find((p) => p instanceof Y.XmlElement && p.toString().includes('Third:')) as Y.XmlElement;
    const text = third.get(0) as Y.XmlText;
    text.delete(text.toString().indexOf('not '), 4);
    await expect.poll(() => a.isSaved() && b.isSaved() && a.text().includes('mood low'), POLL).toBe(true);
    // …and strikes her "today" through.
    text.format(text.toString().indexOf('today'), 5, { strike: {} });
    await expect.poll(() => a.isSaved() && b.isSaved(), POLL).toBe(true);
    // A heading of A's own below the template's level-2 sections.
    appendHeading(a.doc, 'Fourth: a level-4 heading', 4);
    await expect.poll(() => a.isSaved() && b.text().includes('Fourth:'), POLL).toBe(true);

    await ok(clinic.a.api, 'POST', `${base}/end`);
    await ok(clinic.a.api, 'POST', `${base}/sign`);
    const signed = (await ok(clinic.b.api, 'POST', `${base}/sign`)) as { locked: boolean };
    expect(signed.locked).toBe(true);
    timeline = (await clinic.a.api.get<Timeline>(`${base}/timeline`)).body;
    expect(timeline.points).toContain(firstLineAt);
    a.destroy();
    b.destroy();
  }

  afterAll(async () => {
    await closeContexts(browser);
  });
  closePagesAfterEachTest(() => browser);

  it('filters observations, replays the note, comments on a passage and co-signs', async () => {
    await signedSession();
    const page = await openPageAs(browser, server.baseUrl, clinic.supervisor, `/sessions/${sessionId}/review`, 'review-page');
    page.on('dialog', (dialog) => void dialog.accept());
    await expect.poll(() => page.getByTestId('review-status').innerText(), POLL).toBe('Signed');
    await expect.poll(() => reviewNoteText(page), POLL).toContain('Second: M2 spoke about her father');
    await expect.poll(() => page.getByTestId('verify').innerText(), POLL).toContain('Verified');
    expect(await page.locator('.rn-run--struck').allTextContents()).toEqual(['not ']);
    expect(await page.getByTestId('struck-label').innerText()).toMatch(/^deleted by Blair Therapist, /);
    expect(await page.getByTestId('formatted-label').innerText()).toMatch(/^struck through by Blair Therapist, /);
    const observations = page.getByTestId('review-observation');
    expect(await observations.count()).toBe(2);

    // Filters: by tag, then by answer.
    await page.getByTestId('filter-tag').selectOption('nonverbal');
    await expect.poll(() => observations.count(), POLL).toBe(1);
    expect(await observations.first().innerText()).toContain('sat by the door');
    expect(await page.getByTestId('observation-count').innerText()).toBe('(1 of 2)');
    await page.getByTestId('filter-tag').selectOption('');
    await page.getByTestId('filter-answer').selectOption('acknowledged');
    await expect.poll(() => observations.count(), POLL).toBe(1);
    expect(await observations.first().getByTestId('flag-state').getAttribute('data-answer')).toBe('acknowledged');
    await page.getByTestId('filter-author').selectOption(clinic.b.id);
    await expect.poll(() => observations.count(), POLL).toBe(0);
    await page.getByTestId('filter-answer').selectOption('any');
    await expect.poll(() => observations.count(), POLL).toBe(1);
    expect(await observations.first().innerText()).toContain('spoke about her father');
    await saveScreenshot(page, 'review-supervisor-filtered');
    await page.getByTestId('filter-author').selectOption('');
    await expect.poll(() => observations.count(), POLL).toBe(2);

    // Replay, from the keyboard: the start of the session, then forward to just after A's line.
    const slider = page.getByTestId('replay-slider');
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('replay-status').innerText(), POLL).toMatch(/00:00 after the start/);
    await expect.poll(() => reviewNoteText(page), POLL).not.toContain('First:');
    await expect.poll(() => observations.count(), POLL).toBe(0);
    // The arrow keys step from second to second with changes: as many presses as those up to A's line.
    const secondOf = (p: number) => Math.floor((p - timeline.startedAt) / 1000);
    const steps = new Set(timeline.points.filter((p) => p > timeline.startedAt && p <= firstLineAt).map(secondOf)).size;
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => reviewNoteText(page), POLL).toContain('First: M1 arrived late and sat by the door.');
    expect(await reviewNoteText(page)).not.toContain('Second:');
    await expect.poll(() => observations.count(), POLL).toBe(1);
    expect(await observations.first().innerText()).toContain('sat by the door');
    await saveScreenshot(page, 'review-supervisor-replay');
    await page.getByTestId('replay-exit').click();
    await expect.poll(() => reviewNoteText(page), POLL).toContain('Second:');

    // A comment on a passage: select words in the rendered note, then "Comment".
    await page.getByTestId('review-note').evaluate((root) => {
      const run = Array.from(root.querySelectorAll<HTMLElement>('[data-clock]')).find((el) => el.textContent?.includes('M1 arrived late'))!;
      const text = run.firstChild!;
      const from = text.textContent!.indexOf('M1 arrived late');
      const range = document.createRange();
      range.setStart(text, from);
      range.setEnd(text, from + 'M1 arrived late'.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    });
    await page.getByTestId('comment-on-selection').click();
    await page.getByTestId('selection-comment').getByTestId('comment-input').fill('How late, and did anyone remark on it?');
    await page.getByTestId('selection-comment').getByTestId('comment-submit').click();
    const thread = page.getByTestId('passage-comments').getByTestId('comment-thread');
    await expect.poll(() => thread.count(), POLL).toBe(1);
    expect(await page.getByTestId('passage-comments').innerText()).toContain('“M1 arrived late”');
    expect(await thread.getByTestId('comment-body').innerText()).toBe('How late, and did anyone remark on it?');
    await expect.poll(() => page.locator('.rn-run--commented').allInnerTexts(), POLL).toEqual(['M1 arrived late']);
    const stored = (await clinic.supervisor.api.get<CommentView[]>(`/api/sessions/${sessionId}/comments`)).body;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.anchor).toMatchObject({ type: 'passage', quote: 'M1 arrived late' });
    await saveScreenshot(page, 'review-supervisor-commented');

    // How each therapist's flags were answered, under one heading (walk, 4 Dec: "Other: “I missed that”" read as a riddle).
    const caught = page.getByTestId('who-caught-what');
    expect(await caught.getByRole('columnheader').allInnerTexts()).toEqual([
      'Therapist', 'Observations', 'Flagged for the co-therapist', 'Said “I missed that” to the co-therapist’s flags', 'By tag',
      'in all', 'answered “I missed that”', 'answered “I saw it”', 'not answered',
    ]);
    expect(await caught.getByRole('columnheader', { name: 'Flagged for the co-therapist' }).getAttribute('colspan')).toBe('4');
    // Alex flagged one for Blair, who answered "I missed that" (see the observations above).
    expect(await caught.getByTestId('caught-row').first().getByRole('cell').allInnerTexts()).toEqual(['1', '1', '1', '0', '0', '0', 'Nonverbal 1']);

    // Co-sign, told the thread is still open (walk, 4 Dec: nothing said so).
    await expect.poll(() => page.getByTestId('cosign-open-threads').innerText(), POLL).toContain('One comment thread is still open.');
    const asked: string[] = [];
    page.on('dialog', (dialog) => void asked.push(dialog.message()));
    await page.getByTestId('cosign').click();
    await expect.poll(() => asked, POLL).toEqual([expect.stringMatching(/^One comment thread is still open\. Co-sign this note\?/)]);
    await expect.poll(() => page.getByTestId('review-status').innerText(), POLL).toBe('Reviewed');
    await expect.poll(() => page.getByTestId('signatures').innerText(), POLL).toContain(`Co-signed by ${clinic.supervisor.name}`);
    expect(await page.getByTestId('supervisor-actions').count()).toBe(0);
    const session = await clinic.a.api.get<{ status: string }>(`/api/sessions/${sessionId}`);
    expect(session.body.status).toBe('reviewed');
    await saveScreenshot(page, 'review-supervisor-cosigned');
    // Who wrote what survives a black-and-white print: each change of writer is named (on screen,
    // the colours say it), in a drawn box no typed words can take (attack, 6 Dec: in brackets, typed words could).
    const namedBefore = () =>
      page.locator('.rn-run[data-writer]').evaluateAll((runs) =>
        runs.map((r) => {
          const label = getComputedStyle(r, '::before');
          return { content: label.content, border: label.borderTopStyle };
        }),
      );
    expect(new Set((await namedBefore()).map((l) => l.content))).toEqual(new Set(['none']));
    // A heading's level shows, as in the editor (walk, 6 Dec: every level was one size, so a heading
    // labelled "made a level-4 heading" looked like the sections around it), on screen and printed.
    const headingSize = (words: string) => page.locator('.rn-heading', { hasText: words }).evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
    expect(await headingSize('Fourth:')).toBeLessThan(await headingSize('Themes'));
    await page.emulateMedia({ media: 'print' });
    expect(await headingSize('Fourth:')).toBeLessThan(await headingSize('Themes'));
    const named = await namedBefore();
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((l) => l.border !== 'solid' || (l.content !== `"${clinic.a.name}"` && l.content !== `"${clinic.b.name}"`))).toEqual([]);
    await saveScreenshot(page, 'review-print');
  }, 90_000);
});
