import { describe, expect, it } from 'vitest';
import type { ReviewRun, ReviewView, ReviewBlock } from '../../shared/domain/review';
import { expectStatus } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { POLL, chromiumAvailable, editorSelection, noteText, openSessionAs, selectWords } from './browser';
import { sessionWithMembers, useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();
const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);

/**
 * The editor writes a line split or joined, and an undone deletion, as the old words deleted and
 * new ones under the editing therapist's client id. A walk (1 Dec) saw the review strike the
 * co-therapist's words and credit them to the one who pressed Enter; the server tells such a move
 * from a deletion (server/collab/struckWords.ts), and this checks it with the editor's own writes.
 */
describe.skipIf(!hasChromium)('browser: editing in the co-therapist’s words', () => {
  const ctx = useBrowserSession('individual');

  it('leaves her words hers, nothing struck, when I split and join her lines and undo deleting her word, and names me where I strike her word through or make her line a quote', async () => {
    const { server, clinic, sessionId } = ctx;
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced, POLL).toBe(true);
    appendParagraph(b.doc, 'Seems ready to try exposure work.');
    appendParagraph(b.doc, 'Sleep was poor.');
    await expect.poll(() => b.isSaved(), POLL).toBe(true);

    const a = await openSessionAs(ctx.browser, server.baseUrl, clinic.a, sessionId);
    const line = (words: string) => a.locator('.ProseMirror p', { hasText: words });
    await line('Sleep was poor.').waitFor();
    /** Selects `words` and waits until the editor itself holds them selected (it reads the page's selection back later). */
    const select = async (words: string) => {
      await selectWords(a, words);
      await expect.poll(() => editorSelection(a), POLL).toBe(words);
    };
    // Her word "poor" deleted, then the deletion undone: first, so that the undo takes back that
    // alone (after the split and the join below, it took them back with it when the keys came
    // within the editor's undo grouping time, and not under load: 4 Dec).
    await select('poor');
    await a.keyboard.press('Backspace');
    await expect.poll(() => b.text(), POLL).toContain('Sleep was .');
    await a.keyboard.press('Control+z');
    await expect.poll(() => b.text(), POLL).toContain('Sleep was poor.');
    await expect.poll(async () => (await noteText(a)).includes('Sleep was poor.') && (await a.getByTestId('save-state').innerText()) === 'Saved', POLL).toBe(true);
    // Enter after "ready" (the right arrow puts the caret at the end of the selected word).
    await select('ready');
    await a.keyboard.press('ArrowRight');
    // The browser moves the caret; ProseMirror reads it back a moment later (under load, after the next key).
    await expect.poll(() => editorSelection(a), POLL).toBe('');
    await a.keyboard.press('Enter');
    await expect.poll(() => b.text(), POLL).toContain('Seems ready\n to try exposure work.');
    // Backspace at the start of "Sleep was poor.": joined to the line before.
    await select('Sleep');
    await a.keyboard.press('ArrowLeft');
    await expect.poll(() => editorSelection(a), POLL).toBe('');
    await a.keyboard.press('Backspace');
    await expect.poll(() => b.text(), POLL).toContain(' to try exposure work.Sleep was poor.');
    // Her word "poor" struck through with the editor's shortcut: that, and only that, is labelled as my change.
    await select('poor');
    await a.keyboard.press('Control+Shift+s');
    await expect.poll(() => a.locator('.ProseMirror s', { hasText: 'poor' }).count(), POLL).toBe(1);
    await expect.poll(async () => (await a.getByTestId('save-state').innerText()) === 'Saved', POLL).toBe(true);
    // Her first line (split above) made a quote from the toolbar: the editor writes a new block with a copy of her words.
    await select('Seems');
    await a.getByTestId('toolbar-blockquote').click();
    await expect.poll(() => a.locator('.ProseMirror blockquote', { hasText: 'Seems ready' }).count(), POLL).toBe(1);
    await expect.poll(async () => (await a.getByTestId('save-state').innerText()) === 'Saved', POLL).toBe(true);

    const review = await expectStatus(clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`), 200, 'review');
    const hers = runsOf(review.blocks).filter((r) => /ready|exposure|Sleep|poor/.test(r.text));
    expect(runsOf(review.blocks).filter((r) => r.struck).map((r) => r.text)).toEqual([]);
    expect(hers.filter((r) => r.authorId !== clinic.b.id).map((r) => r.text)).toEqual([]);
    // Labelled stretches (the review labels adjacent runs changed alike once).
    const changed: { text: string; by: string; changes: { mark: string; on: boolean }[] }[] = [];
    for (const r of runsOf(review.blocks).filter((x) => x.formatted)) {
      const last = changed.at(-1);
      if (last && last.by === r.formatted!.by && JSON.stringify(last.changes) === JSON.stringify(r.formatted!.changes)) last.text += r.text;
      else changed.push({ text: r.text, by: r.formatted!.by, changes: r.formatted!.changes });
    }
    expect(changed).toEqual([
      { text: 'Seems ready', by: clinic.a.id, changes: [{ mark: 'block:blockquote', on: true }] },
      { text: 'poor', by: clinic.a.id, changes: [{ mark: 'strike', on: true }] },
    ]);
    b.destroy();
  });

  // A walk (4 Dec): an undo of typing over her words across two of her lines credited the line it
  // brought back to the one who undid it, and kept it struck beside.
  it('gives her words back to her, nothing struck, when I undo typing over them across her lines', async () => {
    const { server, clinic } = ctx;
    const sessionId = await sessionWithMembers(clinic, 'individual', []);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced, POLL).toBe(true);
    appendParagraph(b.doc, 'Reported poor sleep this week.');
    appendParagraph(b.doc, 'Beta line of hers here.');
    appendParagraph(b.doc, 'Gamma second line too.');
    await expect.poll(() => b.isSaved(), POLL).toBe(true);

    const a = await openSessionAs(ctx.browser, server.baseUrl, clinic.a, sessionId);
    await a.locator('.ProseMirror p', { hasText: 'Gamma' }).waitFor();
    const saved = () => expect.poll(async () => (await a.getByTestId('save-state').innerText()) === 'Saved', POLL).toBe(true);
    // Within a line, then from one line into the next.
    await selectWords(a, 'poor sleep');
    await expect.poll(() => editorSelection(a), POLL).toBe('poor sleep');
    await a.keyboard.type('fine rest');
    await saved();
    await a.keyboard.press('Control+z');
    await expect.poll(() => b.text(), POLL).toContain('Reported poor sleep this week.');
    await saved();
    await selectWords(a, 'of hers here.');
    await expect.poll(() => editorSelection(a), POLL).toBe('of hers here.');
    await a.keyboard.press('Shift+ArrowDown');
    await a.keyboard.type('merged');
    await expect.poll(() => b.text(), POLL).not.toContain('Gamma');
    await saved();
    await a.keyboard.press('Control+z');
    await expect.poll(() => b.text(), POLL).toContain('Beta line of hers here.\nGamma second line too.');
    await saved();

    const review = await expectStatus(clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`), 200, 'review');
    const runs = runsOf(review.blocks).filter((r) => /Reported|Beta|Gamma/.test(r.text) || r.authorId === clinic.a.id);
    expect(runs.filter((r) => r.struck).map((r) => r.text)).toEqual([]);
    expect(runs.filter((r) => r.authorId !== clinic.b.id).map((r) => r.text)).toEqual([]);
    b.destroy();
  });
});
