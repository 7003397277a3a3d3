import { describe, expect, it } from 'vitest';
import type { ReviewBlock } from '../../shared/domain/review';
import { concordance, lineUp, passagesOf, type RatedObservation } from '../../server/review/concordance';
import { cohensKappa } from '../../server/review/kappa';

const TAGS = {
  x: { id: 'x', name: 'Affect', color: '#aa0000' },
  y: { id: 'y', name: 'Rupture', color: '#00aa00' },
  z: { id: 'z', name: 'Avoidance', color: '#0000aa' },
};
const A = { accountId: 'a', name: 'Ana' };
const B = { accountId: 'b', name: 'Ben' };

let n = 0;
function obs(author: 'a' | 'b', seconds: number, tags: (keyof typeof TAGS)[], extra: Partial<RatedObservation> = {}): RatedObservation {
  return { id: `o${++n}`, authorId: author, tags: tags.map((t) => TAGS[t]), atMs: 1_000_000 + seconds * 1000, offset: null, member: 'M1', passage: null, quote: '', answer: null, ...extra };
}
const run = (observations: RatedObservation[], windowSeconds = 60) => concordance({ sessionId: 's', raters: { a: A, b: B }, observations, windowSeconds });

describe('Cohen’s kappa on a 2×2 table', () => {
  it('matches the textbook example (20 both, 5 only A, 10 only B, 15 neither: pₒ .7, pₑ .5, κ .4)', () => {
    const k = cohensKappa({ both: 20, onlyA: 5, onlyB: 10, neither: 15 });
    expect(k.units).toBe(50);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    expect(k.strength).toBe('fair');
    expect(k.undefinedReason).toBeNull();
  });

  it('is undefined (null with a reason, never NaN) when chance agreement is 100%', () => {
    const k = cohensKappa({ both: 3, onlyA: 0, onlyB: 0, neither: 0 });
    expect(k.kappa).toBeNull();
    expect(k.observed).toBe(1);
    expect(k.expected).toBe(1);
    expect(k.undefinedReason).toMatch(/both therapists applied it at every moment/);
  });

  it('says there is nothing to compare without units', () => {
    const k = cohensKappa({ both: 0, onlyA: 0, onlyB: 0, neither: 0 });
    expect(k).toMatchObject({ units: 0, kappa: null, observed: null, expected: null });
    expect(k.undefinedReason).toMatch(/Nothing to compare/);
  });
});

describe('lining up two therapists’ observations', () => {
  it('finds matched, differently tagged, only-A and only-B moments, with kappa per tag and pooled (hand-computed)', () => {
    const a1 = obs('a', 0, ['x']);
    const b1 = obs('b', 20, ['x']);
    const a2 = obs('a', 100, ['y']);
    const b2 = obs('b', 130, ['x']);
    const a3 = obs('a', 300, ['x'], { member: null });
    const b3 = obs('b', 500, ['z'], { member: 'M2' });
    const view = run([a1, a2, a3, b1, b2, b3]);
    expect(view.moments.map((m) => [m.kind, m.a?.observationId ?? null, m.b?.observationId ?? null])).toEqual([
      ['matched', a1.id, b1.id],
      ['differentTags', a2.id, b2.id],
      ['onlyA', a3.id, null],
      ['onlyB', null, b3.id],
    ]);
    expect(view.moments[1]).toMatchObject({ sharedTags: [], onlyATags: ['y'], onlyBTags: ['x'] });
    expect(view.counts).toEqual({ matched: 1, differentTags: 1, onlyA: 1, onlyB: 1 });
    // Four moments. Affect: both 1, only A 1, only B 1, neither 1 → pₒ 2/4, pₑ (2·2+2·2)/16 = 1/2 → κ 0.
    const byName = new Map(view.perTag.map((t) => [t.name, t]));
    expect(byName.get('Affect')).toMatchObject({ units: 4, both: 1, onlyA: 1, onlyB: 1, neither: 1, observed: 0.5, expected: 0.5, kappa: 0 });
    // Rupture: only A 1, neither 3 → pₒ 3/4, pₑ (1·0+3·4)/16 = 3/4 → κ 0.
    expect(byName.get('Rupture')).toMatchObject({ both: 0, onlyA: 1, onlyB: 0, neither: 3, observed: 0.75, expected: 0.75, kappa: 0 });
    expect(byName.get('Avoidance')).toMatchObject({ both: 0, onlyA: 0, onlyB: 1, neither: 3, kappa: 0 });
    // Pooled: both 1, only A 2, only B 2, neither 7 (12 decisions) → pₒ 8/12, pₑ (3·3+9·9)/144 = 5/8 → κ (2/3−5/8)/(3/8) = 1/9.
    expect(view.overall).toMatchObject({ units: 12, both: 1, onlyA: 2, onlyB: 2, neither: 7 });
    expect(view.overall.observed).toBeCloseTo(2 / 3, 12);
    expect(view.overall.expected).toBeCloseTo(5 / 8, 12);
    expect(view.overall.kappa).toBeCloseTo(1 / 9, 12);
    expect(view.overall.strength).toBe('slight');
    expect(view.method).toMatch(/Cohen’s kappa.*Unit of analysis: the moment/);
  });

  it('all agree: κ 1 where the tags vary, undefined (expected agreement 100%) where one tag is on every moment', () => {
    const varied = run([obs('a', 0, ['x']), obs('b', 10, ['x']), obs('a', 200, ['y']), obs('b', 210, ['y'])]);
    expect(varied.counts).toEqual({ matched: 2, differentTags: 0, onlyA: 0, onlyB: 0 });
    // Affect: both 1, neither 1 → pₒ 1, pₑ (1+1)/4 = 1/2 → κ 1; the same for Rupture and pooled.
    expect(varied.perTag.map((t) => t.kappa)).toEqual([1, 1]);
    expect(varied.overall.kappa).toBe(1);
    expect(varied.overall.strength).toBe('almost perfect');

    const same = run([obs('a', 0, ['x']), obs('b', 10, ['x']), obs('a', 200, ['x']), obs('b', 210, ['x'])]);
    expect(same.perTag[0]).toMatchObject({ name: 'Affect', both: 2, observed: 1, expected: 1, kappa: null });
    expect(same.perTag[0]!.undefinedReason).toMatch(/expected agreement 100%/);
    expect(same.overall.kappa).toBeNull();
    expect(same.overall.undefinedReason).toMatch(/expected agreement 100%/);
  });

  it('all disagree: each caught what the other did not (κ −1)', () => {
    const view = run([obs('a', 0, ['x']), obs('b', 600, ['x'])]);
    expect(view.counts).toEqual({ matched: 0, differentTags: 0, onlyA: 1, onlyB: 1 });
    // Affect: only A 1, only B 1 → pₒ 0, pₑ (1·1+1·1)/4 = 1/2 → κ (0 − 1/2)/(1/2) = −1.
    expect(view.perTag[0]).toMatchObject({ onlyA: 1, onlyB: 1, observed: 0, expected: 0.5, kappa: -1, strength: 'less than chance' });
    expect(view.overall.kappa).toBe(-1);
  });

  it('one-sided: only A observed anything (κ 0: no agreement beyond chance)', () => {
    const view = run([obs('a', 0, ['x']), obs('a', 200, ['x', 'y'])]);
    expect(view.counts).toEqual({ matched: 0, differentTags: 0, onlyA: 2, onlyB: 0 });
    // Affect: only A 2 → pₒ 0, pₑ (2·0 + 0·2)/4 = 0 → κ 0. Rupture: only A 1, neither 1 → pₒ 1/2, pₑ (1·0+1·2)/4 = 1/2 → κ 0.
    expect(view.perTag.map((t) => [t.name, t.observed, t.expected, t.kappa])).toEqual([
      ['Affect', 0, 0, 0],
      ['Rupture', 0.5, 0.5, 0],
    ]);
    expect(view.overall.kappa).toBe(0);
  });

  it('empty: no moments, no tags, overall undefined with its reason', () => {
    const view = run([]);
    expect(view.moments).toEqual([]);
    expect(view.perTag).toEqual([]);
    expect(view.overall).toMatchObject({ units: 0, kappa: null });
    expect(view.overall.undefinedReason).toMatch(/Nothing to compare/);
  });

  it('pairs the same paragraph beyond the window, never across members, and prefers a shared tag over a closer time', () => {
    const a1 = obs('a', 0, ['x'], { passage: 3 });
    const b1 = obs('b', 900, ['y'], { passage: 3 });
    expect(lineUp([a1], [b1], 60_000).map((m) => [m.kind, m.samePassage])).toEqual([['differentTags', true]]);

    const a2 = obs('a', 0, ['x'], { member: 'M1' });
    const b2 = obs('b', 1, ['x'], { member: 'M2' });
    expect(lineUp([a2], [b2], 60_000).map((m) => m.kind)).toEqual(['onlyA', 'onlyB']);

    const a3 = obs('a', 0, ['x']);
    const near = obs('b', 5, ['y']);
    const sameTag = obs('b', 50, ['x']);
    const moments = lineUp([a3], [near, sameTag], 60_000);
    expect(moments.find((m) => m.kind === 'matched')?.b?.observationId).toBe(sameTag.id);
    expect(moments.find((m) => m.kind === 'onlyB')?.b?.observationId).toBe(near.id);
  });

  it('pairs observations of the same words first, whatever their tags (walk, 2 Dec)', () => {
    const aOther = obs('a', 0, ['x'], { passage: 1, quote: 'apologised repeatedly' });
    const aSame = obs('a', 1, ['y'], { passage: 1, quote: 'eyes filled' });
    const bSame = obs('b', 2, ['x'], { passage: 1, quote: 'eyes filled when describing the last call.' });
    const moments = lineUp([aOther, aSame], [bSame], 60_000);
    expect(moments.find((m) => m.b?.observationId === bSame.id)?.a?.observationId).toBe(aSame.id);
    expect(moments.find((m) => m.a?.observationId === aOther.id)?.kind).toBe('onlyA');
  });

  it('numbers paragraphs in reading order, nested ones included', () => {
    const runOf = (ids: string[]) => ({ text: 't', marks: [], authorId: null, lateAt: null, observationIds: ids, struck: null, formatted: null, client: 1, clock: 0 });
    const blocks: ReviewBlock[] = [
      { type: 'paragraph', attrs: {}, runs: [runOf([]), runOf(['p'])], children: [] },
      { type: 'bulletList', attrs: {}, runs: [], children: [{ type: 'listItem', attrs: {}, runs: [], children: [{ type: 'paragraph', attrs: {}, runs: [runOf(['q'])], children: [] }] }] },
    ];
    expect([...passagesOf(blocks)]).toEqual([['p', 0], ['q', 1]]);
  });
});
