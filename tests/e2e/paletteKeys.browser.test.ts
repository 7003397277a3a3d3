import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { DEFAULT_TAGS } from '../../shared/domain/tag';
import { POLL, chromiumAvailable, editorFocused, editorSelection, editorSelectionState, openSessionAs, saveScreenshot } from './browser';
import { useBrowserSession } from './browserClinic';

const hasChromium = chromiumAvailable();

/** Presses keys (a chord such as Control+k counts as one), remembering each one. */
function counter(page: Page) {
  const pressed: string[] = [];
  return {
    pressed,
    press: async (key: string) => {
      pressed.push(key);
      await page.keyboard.press(key);
    },
  };
}

describe.skipIf(!hasChromium)('browser: any tag, a member and a flag in four keys', () => {
  const ctx = useBrowserSession('group', ['M1', 'M2', 'JD']);

  it('tags, names a member and flags with Ctrl+K, the tag’s letter, a digit and Shift+Enter, for every default tag', async () => {
    const a = await openSessionAs(ctx.browser, ctx.server.baseUrl, ctx.clinic.a, ctx.sessionId);
    const table: { tag: string; keys: string[] }[] = [];

    for (const [i, tag] of DEFAULT_TAGS.entries()) {
      const words = `Seen ${i}: ${tag.description}.`;
      // Ctrl+End, not End: End stops at the end of the visual line the click landed on, and the
      // last paragraph wraps.
      await a.locator('.ProseMirror p').last().click();
      await a.keyboard.press('Control+End');
      await expect.poll(async () => (await editorSelectionState(a)).atEnd, POLL).toBe(true);
      await a.keyboard.press('Enter');
      await a.keyboard.type(words);
      // Select the paragraph just written (Shift+Home selects only its last visual line, which
      // is empty when the words wrap exactly at the edge), and wait until the editor holds it.
      await a.locator('.ProseMirror p').last().click({ clickCount: 3 });
      await expect.poll(() => editorSelection(a), POLL).toBe(words);

      const keys = counter(a);
      await keys.press('Control+k');
      await a.getByTestId('tag-palette').waitFor();
      // The palette shows each tag's letter; that letter puts the tag first.
      const letter = await a
        .getByTestId('palette-option')
        .filter({ has: a.locator('.palette__name', { hasText: new RegExp(`^${tag.name}$`) }) })
        .getAttribute('data-tag-key');
      expect(letter, tag.name).toMatch(/^[a-z]$/);
      await keys.press(letter!);
      await expect.poll(() => a.locator('.palette__option--active .palette__name').innerText(), POLL).toBe(tag.name);
      await keys.press(String((i % 3) + 1));
      await keys.press('Shift+Enter');
      await expect.poll(() => a.getByTestId('tag-palette').count(), POLL).toBe(0);
      await expect.poll(() => editorFocused(a), POLL).toBe(true);
      table.push({ tag: tag.name, keys: keys.pressed });
      if (i === 4) await saveScreenshot(a, 'palette-keys-done');
    }

    // Every tag took four keys, and each observation is what those keys said.
    expect(table.map((r) => r.keys.length)).toEqual(DEFAULT_TAGS.map(() => 4));
    expect(new Set(table.map((r) => r.keys[1])).size).toBe(DEFAULT_TAGS.length);
    await expect.poll(() => a.getByTestId('save-state').innerText(), POLL).toBe('Saved');
    const stored = (await ctx.clinic.a.api.get<ReviewView>(`/api/sessions/${ctx.sessionId}/review`)).body.observations;
    expect(stored.map((o) => [o.tags.map((t) => t.id), o.member, o.forCoTherapist, o.kind])).toEqual(
      DEFAULT_TAGS.map((t, i) => [[t.id], ['M1', 'M2', 'JD'][i % 3], true, 'span']),
    );
    console.log(['| tag | keys | count |', '| --- | --- | --- |', ...table.map((r) => `| ${r.tag} | ${r.keys.join(', ')} | ${r.keys.length} |`)].join('\n'));
  }, 120_000);
});
