import { afterEach, describe, expect, it } from 'vitest';
import { positionAtRect } from '../../client/features/observations/palettePosition';

const { innerWidth, innerHeight } = window;
afterEach(() => {
  Object.assign(window, { innerWidth, innerHeight });
});

/** A desktop window of 1280 × 900 (jsdom has no visual viewport: the window's size is read). */
const desktop = () => Object.assign(window, { innerWidth: 1280, innerHeight: 900 });

describe('where the tag palette floats', () => {
  // A walk (6 Dec): the caret halfway down the window; below it, the palette kept 374 px of its
  // 460 and showed one tag and a half of the codebook, with all the room it needed above.
  it('goes above the words, whole, when it does not fit below and has more room above', () => {
    desktop();
    const at = positionAtRect({ top: 500, bottom: 520, left: 150 }, 360, 460);
    expect(at).toEqual({ bottom: 900 - 500 + 8, left: 150, width: 360, maxHeight: 460 });
  });

  it('stays below the words when it fits there whole, or has more room there than above', () => {
    desktop();
    expect(positionAtRect({ top: 300, bottom: 320, left: 150 }, 360, 460)).toEqual({ top: 328, left: 150, width: 360, maxHeight: 460 });
    Object.assign(window, { innerHeight: 600 });
    expect(positionAtRect({ top: 240, bottom: 260, left: 150 }, 360, 460)).toEqual({ top: 268, left: 150, width: 360, maxHeight: 324 });
  });
});
