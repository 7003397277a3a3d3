import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createSession } from '../helpers/api';
import { returnNote } from '../helpers/desk';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { tagSpan } from '../helpers/noteOps';
import { POLL, chromiumAvailable, editorFocused, noteText, heldNoteSocket, openPageAs, openSessionAs, saveScreenshot, typeInParagraph } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

/**
 * What the sign panel says of one therapist's signature, and the outcome of signing: read as they
 * are now (empty when absent). `innerText()` would wait up to Playwright's 30 s for a missing
 * element, twice within one poll, and a run on a loaded machine ended at the test's timeout with
 * nothing said of what the page showed.
 */
const signerState = async (page: Page, name: string) => (await page.getByTestId('signers').locator('li', { hasText: name }).allInnerTexts()).join(' ');
const signOutcome = async (page: Page) => (await page.getByTestId('sign-outcome').allInnerTexts()).join(' ');

describe.skipIf(!hasChromium)('browser: the sign panel', () => {
  const ctx = useBrowserSession('individual');

  it('stops saying "Signed" once a late entry makes that signature an earlier version’s', async () => {
    const { clinic, server, sessionId } = ctx;
    for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`)).status).toBe(200);
    const a = await openSessionAs(ctx.browser, server.baseUrl, clinic.a, sessionId);
    await a.getByTestId('sign-submit').click();
    await expect.poll(() => signOutcome(a), POLL).toContain('Signed. Waiting for');

    // The co-therapist adds a late entry, then signs: A's signature is now for an earlier version.
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced, POLL).toBe(true);
    appendParagraph(b.doc, 'Remembered after the end.');
    await expect.poll(() => b.isSaved(), POLL).toBe(true);
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/sign`)).status).toBe(200);
    b.destroy();

    // A's own row: B's may say so too for a moment, while A's page digests B's paragraph.
    await expect.poll(() => signerState(a, clinic.a.name), POLL).toContain('must sign again');
    expect(await a.getByTestId('sign-outcome').count()).toBe(0);
    expect(await a.getByTestId('sign-submit').isEnabled()).toBe(true);
    await a.context().close();
  });

  // A page that had not yet caught up with the server signed its older copy: the server refused it
  // (409 note_differs) and the therapist read an error instead of a signature (CI, 4 Dec).
  it('holds Sign, and says why, until the page has the note as the server holds it', async () => {
    const { clinic, server, browser } = ctx;
    const sessionId = await createSession(clinic, 'individual');
    for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`)).status).toBe(200);
    const socket = heldNoteSocket();
    // The note itself waits for the server too: this device never had it (connectionTruth tests that).
    const a = await openPageAs(browser, server.baseUrl, clinic.a, `/sessions/${sessionId}`, 'sign-waits-for-copy', { prepare: socket.prepare });
    expect(await a.getByTestId('sign-submit').isDisabled()).toBe(true);
    socket.release();
    await a.getByTestId('sign-submit').click();
    await expect.poll(() => signOutcome(a), POLL).toContain('Signed. Waiting for');
    expect(await a.getByTestId('sign-waits-for-copy').count()).toBe(0);
  });

  // The page reads the server's record only every 15 s after the end; the bound stays under that,
  // so the panel must follow the note itself (walk, 3 Dec: "Signed" stood 6 s and more, till a reload).
  const BEFORE_RECORD_POLL = { timeout: 8_000, interval: 100 } as const;

  it('shows on both pages, without a reload, that the first signer must sign again once the other types', async () => {
    const { clinic, server, browser } = ctx;
    const sessionId = await createSession(clinic, 'individual');
    for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`)).status).toBe(200);
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, sessionId);
    await a.getByTestId('sign-submit').click();
    await expect.poll(() => signOutcome(a), POLL).toContain('Signed. Waiting for');
    // B's page hears of the signature on the live stream.
    await expect.poll(() => b.locator('.signers__row--current').count(), POLL).toBe(1);
    // Said above the note, where B types, before B changes it (walk, 4 Dec: only the panel said so, after).
    const notice = async (page: Page) => (await page.getByTestId('signature-notice').allInnerTexts()).join(' ');
    await expect.poll(() => notice(b), POLL).toContain(`${clinic.a.name} signed the note as it stands`);
    expect(await notice(b)).toContain(`If you change it now, ${clinic.a.name} must read it again and sign again.`);
    expect(await notice(a)).toBe('');

    await typeInParagraph(b, 0, ' One more line.');

    await expect.poll(() => signerState(b, clinic.a.name), BEFORE_RECORD_POLL).toContain('must sign again');
    await expect.poll(() => signerState(a, clinic.a.name), BEFORE_RECORD_POLL).toContain('must sign again');
    expect(await a.getByTestId('sign-outcome').count()).toBe(0);
    await expect.poll(() => notice(b), BEFORE_RECORD_POLL).toContain(`${clinic.a.name} signed an earlier version`);
    await expect.poll(() => notice(a), BEFORE_RECORD_POLL).toContain('You signed an earlier version of this note');
    await saveScreenshot(a, 'signature-notice-signer');
  });
  // A walk (4 Dec): a tagged line left with nothing after its label was signed into the record as
  // "tagged line with nothing written after its label", with nothing said before signing.
  // Walk, 6 Dec: a quote long enough to wrap was centred, line by line, and the list's bullet stood
  // beside its second line, so the quote read as two items.
  it('lists an unanswered flag’s quote as one item, its lines starting where its bullet stands', async () => {
    const { clinic, server, browser } = ctx;
    const sessionId = await createSession(clinic, 'individual');
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
    const writer = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => writer.provider.synced, POLL).toBe(true);
    appendParagraph(writer.doc, 'M1 arrived late and sat by the door, arms crossed, facing away from the group.');
    tagSpan(writer.doc, 'M1 arrived late and sat by the door, arms crossed, facing away from the group.', { authorId: clinic.a.id, tags: ['nonverbal'], forCoTherapist: true });
    await expect.poll(() => writer.isSaved(), POLL).toBe(true);
    writer.destroy();
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);

    const a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const quote = a.getByTestId('sign-unanswered').getByRole('button', { name: /M1 arrived late/ });
    await quote.waitFor();
    // Where each line of the quote starts, and the line a word set before the quote (as the bullet is) stands on.
    const layout = await quote.evaluate((button) => {
      const words = document.createRange();
      words.selectNodeContents(button);
      const lines = Array.from(words.getClientRects()).filter((r) => r.width > 0);
      const probe = document.createElement('span');
      probe.textContent = 'x';
      button.before(probe);
      const bulletLine = probe.getBoundingClientRect();
      probe.remove();
      const tops = [...new Set(lines.map((r) => Math.round(r.top)))];
      // A line holds a rect per text node on it (the quote marks are nodes of their own): it starts at the leftmost.
      const starts = tops.map((top) => Math.round(Math.min(...lines.filter((r) => Math.round(r.top) === top).map((r) => r.left))));
      return { starts: [...new Set(starts)], lines: tops.length, first: lines[0]!, bulletLine };
    });
    expect(layout.lines).toBeGreaterThan(1);
    expect(layout.starts).toHaveLength(1);
    expect(Math.abs(layout.bulletLine.top - layout.first.top)).toBeLessThan(layout.first.height / 2);
    await saveScreenshot(a.getByTestId('sign-panel'), 'sign-unanswered-flag');
  });

  it('lists a tagged line with nothing written after its label, and takes the therapist there to write it', async () => {
    const { clinic, server, browser } = ctx;
    const sessionId = await createSession(clinic, 'individual');
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    await typeInParagraph(a, 0, 'Arrived late. ');
    await a.keyboard.press('Control+k');
    await a.getByTestId('tag-palette').waitFor();
    await a.keyboard.press('f'); // Follow-up, by its letter
    await a.keyboard.press('Enter');
    await expect.poll(() => a.getByTestId('tag-palette').count(), POLL).toBe(0);
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);

    const listed = a.getByTestId('sign-empty-lines');
    await expect.poll(() => listed.allInnerTexts(), POLL).toEqual([expect.stringContaining('1 tagged line has nothing written after the label')]);
    expect(await a.getByTestId('sign-empty-line').innerText()).toBe('Follow-up');
    await saveScreenshot(a.getByTestId('sign-panel'), 'sign-empty-line');
    await a.getByTestId('sign-empty-line').click();
    await expect.poll(() => editorFocused(a), POLL).toBe(true);
    await a.keyboard.type('Asked about next week.');
    await expect.poll(() => listed.count(), POLL).toBe(0);
    await expect.poll(() => noteText(a), POLL).toContain('Arrived late. Follow-up — Asked about next week.');
  });
  // A walk (4 Dec): the header said "Ended" and the return's reason stood in the sign panel, below the fold.
  it('shows a returned note’s reason under the header, where the therapist opening it reads it first', async () => {
    const { clinic, server, browser } = ctx;
    const sessionId = await createSession(clinic, 'individual');
    for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`)).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/sign`)).status).toBe(200);
    // B's signature locks the note from B's page, which stays open through the return.
    const b = await openSessionAs(browser, server.baseUrl, clinic.b, sessionId);
    await b.getByTestId('sign-submit').click();
    await expect.poll(() => b.getByTestId('sign-submit').count(), POLL).toBe(0);
    await returnNote(clinic.supervisor.api, sessionId, 'Add the safety plan you agreed.');
    await b.getByTestId('returned-notice').waitFor();
    await expect.poll(() => signerState(b, clinic.b.name), POLL).toContain('not signed yet');
    // "the note is locked" no longer stands above "not signed yet" (walk, 4 Dec).
    expect(await b.getByTestId('sign-outcome').count()).toBe(0);
    const a = await openSessionAs(browser, server.baseUrl, clinic.a, sessionId);
    const notice = a.getByTestId('returned-notice');
    await expect.poll(() => notice.allInnerTexts(), POLL).toEqual([expect.stringContaining('“Add the safety plan you agreed.”')]);
    // Above the note itself, not down the side column with the sign panel.
    const [box, note] = [(await notice.boundingBox())!, (await a.locator('.ProseMirror').boundingBox())!];
    expect(box.y + box.height).toBeLessThanOrEqual(note.y);
  });
});
