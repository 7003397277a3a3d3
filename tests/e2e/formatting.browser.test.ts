import { describe, expect, it } from 'vitest';
import type { ReviewBlock, ReviewView } from '../../shared/domain/review';
import { createSession } from '../helpers/api';
import { POLL, chromiumAvailable, openSessionAs, saveScreenshot } from './browser';
import { useBrowserClinic } from './browserClinic';

const hasChromium = chromiumAvailable();

const flatten = (blocks: ReviewBlock[]): ReviewBlock[] => blocks.flatMap((b) => [b, ...flatten(b.children)]);

/**
 * The server judges every element, attribute and mark against the note's schema: whatever the
 * real editor writes must pass. Every formatting a therapist can reach from the keyboard, typed in
 * Chromium, must reach "Saved" and be in the stored note.
 */
describe.skipIf(!hasChromium)('browser: every formatting the editor offers is accepted by the server', () => {
  const ctx = useBrowserClinic();

  it('saves headings, lists, quotes, code, rules, breaks, marks and links', async () => {
    const sessionId = await createSession(ctx.clinic);
    const page = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, sessionId);
    // Clicked once the template is there; keys at once after the click (see the last test of this file).
    await expect.poll(() => page.locator('.ProseMirror h2').first().innerText(), POLL).toBe('Attendance');
    await page.locator('.ProseMirror p').first().click();
    const k = page.keyboard;
    const line = async (keys: string[], text: string) => {
      await k.press('Enter');
      for (const key of keys) await k.press(key);
      await k.type(text);
    };
    await line(['Control+Alt+3'], 'A third-level heading');
    await line(['Control+Alt+0'], 'Back to a paragraph');
    await line(['Control+Shift+8'], 'a bullet');
    await line([], 'a second bullet');
    await k.press('Enter');
    await k.press('Enter');
    await line(['Control+Shift+7'], 'a numbered item');
    await k.press('Enter');
    await k.press('Enter');
    await line(['Control+Shift+B'], 'a quote');
    await k.press('Enter');
    await k.press('Enter');
    await line(['Control+Alt+C'], 'const code = 1;');
    await k.press('Enter');
    await k.press('Enter');
    await k.press('Enter');
    await k.type('---');
    await k.type('after the rule');
    await k.press('Shift+Enter');
    await k.type('after a break ');
    for (const [key, word] of [['Control+B', 'bold'], ['Control+I', 'italic'], ['Control+U', 'underlined'], ['Control+Shift+S', 'struck'], ['Control+E', 'code']] as const) {
      await k.press(key);
      await k.type(word);
      await k.press(key);
      await k.type(' ');
    }
    await k.type('see https://example.org/guide ');

    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    await saveScreenshot(page, 'formatting-saved');
    const review = (await ctx.clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    const blocks = flatten(review.blocks);
    const types = new Set(blocks.map((b) => b.type));
    const pageHtml = await page.locator('.ProseMirror').innerHTML();
    const storedText = blocks.map((b) => `${b.type}:${b.runs.map((r) => r.text).join('')}`).join(' | ');
    for (const type of ['heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock', 'horizontalRule']) expect(types, `${type}\nPAGE ${pageHtml}\nSTORED ${storedText}`).toContain(type);
    expect(blocks.find((b) => b.type === 'heading' && b.runs.some((r) => r.text.includes('third-level')))?.attrs).toMatchObject({ level: 3 });
    // Its level shows beside the template's level-2 sections (walk, 6 Dec: 17.9 px against 18, so the co-therapist's change of a level went unseen).
    const size = (heading: string) => page.locator(`.ProseMirror ${heading}`).first().evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
    expect(await size('h3')).toBeLessThan((await size('h2')) * 0.95);
    const marks = new Set(blocks.flatMap((b) => b.runs.flatMap((r) => r.marks)));
    for (const mark of ['bold', 'italic', 'underline', 'strike', 'code', 'link']) expect(marks, mark).toContain(mark);
  });
});

// Browser tests, 4–5 Dec: a keydown sent with no gap after the click's mouseup came, now and then,
// before the browser's selectionchange, and Enter acted at the caret the editor held before the
// click (client/editor/caretBeforeKeys.ts). Each round below clicks another section's empty line
// and presses Enter at once: about one round in two went to the line clicked before.
describe.skipIf(!hasChromium)('browser: a key command right after a click', () => {
  const ctx = useBrowserClinic();

  it('acts at the clicked caret', async () => {
    const sessionId = await createSession(ctx.clinic, 'group');
    const page = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, sessionId);
    const sections = ['Attendance', 'Themes', 'Member observations', 'Interventions', 'Risk', 'Plan'];
    await expect.poll(() => page.locator('.ProseMirror h2').allInnerTexts(), POLL).toEqual(sections);
    for (const heading of sections) {
      await page.locator('.ProseMirror h2', { hasText: heading }).locator('+ p').click();
      await page.keyboard.press('Enter');
    }
    const shape = () =>
      page.locator('.ProseMirror').evaluate((editor) => {
        const lines: string[] = [];
        for (const block of editor.children) {
          if (block.tagName === 'H2') lines.push(block.textContent ?? '');
          else if (lines.length > 0) lines[lines.length - 1] += ' +line';
        }
        return lines;
      });
    // Each section's empty line split in two, none elsewhere.
    await expect.poll(shape, POLL).toEqual(sections.map((s) => `${s} +line +line`));
  });
});

// The closing note of 5 Dec: after a redo, y-tiptap put the caret back where it stood before the
// last change ahead of the undo, anchored to what the undo had deleted; the next words went into
// another line (client/editor/undoOwnSteps.ts, caretAfterRedo).
describe.skipIf(!hasChromium)('browser: undo and redo', () => {
  const ctx = useBrowserClinic();

  it('leaves the caret after what a redo brought back, so typing goes on there', async () => {
    const sessionId = await createSession(ctx.clinic, 'group');
    const page = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, sessionId);
    await expect.poll(() => page.locator('.ProseMirror h2').count(), POLL).toBe(6);
    const section = (heading: string) =>
      page.locator('.ProseMirror').evaluate((editor, name) => {
        const lines: string[] = [];
        let inside = false;
        for (const block of editor.children) {
          if (block.tagName === 'H2') inside = block.textContent === name;
          else if (inside) lines.push(block.textContent ?? '');
        }
        return lines;
      }, heading);
    await page.locator('.ProseMirror h2', { hasText: 'Themes' }).locator('+ p').click();
    await page.keyboard.type('Loss came up twice.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('M2 spoke of her father.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('The group went quiet.');
    await expect.poll(() => section('Themes'), POLL).toEqual(['Loss came up twice.', 'M2 spoke of her father.', 'The group went quiet.']);
    // Typing pauses longer than the undo manager's grouping when the machine is busy (CI, 6 Dec: one
    // Ctrl+Z took back "uiet." only): undo step by step until the section is empty, then redo as often.
    let steps = 0;
    for (let before = await section('Themes'); before.join('') !== '' && steps < 20; before = await section('Themes')) {
      await page.keyboard.press('Control+z');
      steps++;
      await expect.poll(() => section('Themes'), POLL).not.toEqual(before);
    }
    expect(await section('Themes')).toEqual(['']);
    for (let i = 0; i < steps; i++) {
      const before = await section('Themes');
      await page.keyboard.press('Control+y');
      await expect.poll(() => section('Themes'), POLL).not.toEqual(before);
    }
    await expect.poll(() => section('Themes'), POLL).toEqual(['Loss came up twice.', 'M2 spoke of her father.', 'The group went quiet.']);
    await page.keyboard.type(' Then laughed.');
    await expect.poll(() => section('Themes'), POLL).toEqual(['Loss came up twice.', 'M2 spoke of her father.', 'The group went quiet. Then laughed.']);
    await expect.poll(() => page.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    expect(await page.locator('.ProseMirror h2').allInnerTexts()).toEqual(['Attendance', 'Themes', 'Member observations', 'Interventions', 'Risk', 'Plan']);
  });
});
