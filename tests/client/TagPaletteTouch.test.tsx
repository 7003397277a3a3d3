import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TagPalette, type PaletteChoice } from '../../client/features/observations/TagPalette';
import { DEFAULT_TAGS } from '../../shared/domain/tag';

const TAGS = DEFAULT_TAGS.map((t) => ({ ...t, retired: false }));

/** A touch screen with a keyboard (a tablet with its keyboard cover): no fine pointer. */
beforeEach(() => {
  vi.stubGlobal('matchMedia', (query: string) => ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The palette as the session page opens it on a touch screen, and what it applies. */
function openPalette(): PaletteChoice[] {
  const applied: PaletteChoice[] = [];
  render(
    <TagPalette
      kind="span"
      wordAtCaret={false}
      quote="far end of the sofa"
      problem={null}
      tags={TAGS}
      members={{ word: 'group members', labels: ['M1', 'JD'] }}
      coTherapistName="Anna Berg"
      initialFlag={false}
      position={{ top: 0, left: 0, width: 360, maxHeight: 460 }}
      onApply={(choice) => applied.push(choice)}
      onClose={() => {}}
    />,
  );
  return applied;
}

/** Keys pressed where the focus is, as a keyboard sends them: a letter not taken by a handler types into a focused field. */
function press(...keys: string[]) {
  for (const key of keys) {
    const target = document.activeElement ?? document.body;
    const typed = fireEvent.keyDown(target, { key });
    if (typed && key.length === 1 && target instanceof HTMLInputElement) fireEvent.change(target, { target: { value: target.value + key } });
  }
}

// Walk, 6 Dec, at a phone's width with a keyboard: Ctrl+K, "n" for Nonverbal, Enter tagged the
// words Affect. On a touch screen the palette keeps the focus off its filter (so that the on-screen
// keyboard does not cover it), and the letters typed went nowhere while Enter took the first tag.
describe('the tag palette on a touch screen, typed at', () => {
  it.each([
    [['n'], 'Nonverbal'],
    [['r'], 'Risk/safety'],
    [['i', 'n', 't', 'e', 'r'], 'Intervention'],
  ])('%j then Enter tags what was typed', (keys, name) => {
    const applied = openPalette();
    expect(document.activeElement).toBe(screen.getByTestId('tag-palette'));
    press(...keys, 'Enter');
    expect(applied.map((c) => c.tags.map((t) => t.name))).toEqual([[name]]);
    expect((screen.getByTestId('palette-filter') as HTMLInputElement).value).toBe(keys.join(''));
  });

  it('still takes digits as members and "!" as the flag', () => {
    const applied = openPalette();
    press('2', '!', 'n', 'Enter');
    expect(applied).toMatchObject([{ tags: [{ name: 'Nonverbal' }], member: 'JD', forCoTherapist: true }]);
  });
});
