import { afterEach, describe, expect, it, vi } from 'vitest';
import { GRACE_MS, calmSaveState } from '../../client/collab/calmSaveState';

/** A badge over a fake clock: `at(ms)` moves time and runs what the grace timer asked for. */
function badge() {
  vi.useFakeTimers({ now: 0 });
  let strict: Parameters<ReturnType<typeof calmSaveState>['show']>[0] = 'saved';
  const shown: string[] = [];
  const calm = calmSaveState(() => shown.push(calm.show(strict)), () => Date.now());
  return {
    shown,
    set(next: typeof strict) {
      strict = next;
      shown.push(calm.show(next));
    },
    at(ms: number) {
      vi.advanceTimersByTime(ms - Date.now());
    },
    last: () => shown[shown.length - 1],
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the calm save badge', () => {
  it('says Editing (not Saved, not Saving) while keys are confirmed within the grace, and Saved after a pause', () => {
    const b = badge();
    b.set('saved');
    // Ten keys, one every 100 ms, each confirmed 20 ms later.
    for (let i = 0; i < 10; i++) {
      b.at(i * 100);
      b.set('saving');
      expect(b.last()).toBe('editing');
      b.at(i * 100 + 20);
      b.set('saved');
      expect(b.last()).toBe('editing');
    }
    b.at(900 + 20 + GRACE_MS);
    expect(b.last()).toBe('saved');
    // One change of what is shown into Editing, one back to Saved.
    expect(b.shown.filter((s, i) => i > 0 && s !== b.shown[i - 1])).toEqual(['editing', 'saved']);
  });

  it('says Saving… once edits have waited the grace without a confirmation, and Saved when confirmed', () => {
    const b = badge();
    b.set('saved');
    b.at(0);
    b.set('saving');
    expect(b.last()).toBe('editing');
    b.at(GRACE_MS);
    expect(b.last()).toBe('saving');
    b.at(GRACE_MS + 300);
    b.set('saved');
    expect(b.last()).toBe('saved');
  });

  it('never shows Saved while the strict state is not saved', () => {
    const b = badge();
    for (const s of ['connecting', 'saving', 'saved', 'saving', 'offline', 'saving', 'failed', 'saving'] as const) {
      b.set(s);
      if (s !== 'saved') expect(b.last()).not.toBe('saved');
    }
  });

  it('says Saving… at once when coming back from offline or a failure (those edits have waited already)', () => {
    const b = badge();
    b.set('offline');
    b.set('connecting');
    b.set('saving');
    expect(b.last()).toBe('saving');
    b.set('saved');
    expect(b.last()).toBe('saved');
  });
});
