import { describe, expect, it } from 'vitest';
import { formattingChange } from '../../shared/domain/review';
import { attributeEntry } from '../../server/collab/attributeChanges';
import { attributeKind, attributeKinds, attributeMark, attributeOfKind, blockMark, formattingNow, type FormattedWords } from '../../shared/note/formattedWords';

const CAL = 'cal';
const BEA = 'bea';
const LEVEL = attributeMark('heading', 'level');
let at = 0;

/**
 * The entries kept over Cal's heading "Risk factors" after each of `changes` (who set the level,
 * from what to what), as keepFormatting keeps them: one per stretch and mark, the writer's own only
 * where another's is on record, one back at the writer's value removed.
 */
function kept(...changes: [by: string, from: number, to: number][]): FormattedWords[] {
  let entry: FormattedWords | undefined;
  for (const [by, from, to] of changes) {
    const change = { client: 1, clock: 0, len: 12, text: 'Risk factors', mark: LEVEL, value: { from, to } };
    if (by === CAL && !(entry && entry.by !== CAL)) continue;
    const e: FormattedWords = { by, at: ++at, author: CAL, client: 1, clock: 0, len: 12, text: 'Risk factors', mark: LEVEL, on: true, ...attributeEntry(change, by, CAL, entry) };
    entry = by !== CAL && e.value === e.was ? undefined : e;
  }
  return entry ? [entry] : [];
}
/** The label of Cal's words in a heading of level `n`, after `entries`. */
const label = (entries: FormattedWords[], n: number) => {
  const found = formattingNow(entries, new Set([blockMark('heading'), blockMark(attributeKind('heading', 'level', n))]));
  return found && `${formattingChange(found.changes)} by ${found.by}`;
};

// Attack, 6 Dec: Bea set Cal's level-2 heading to level 4 (and his list to start at 7), and the
// record showed his words as he never wrote them, unlabelled.
describe('formattingNow of a block’s attribute: the difference from the value the writer wrote the words in', () => {
  it('names the value another gave his block', () => {
    expect(label(kept([BEA, 2, 4]), 4)).toBe('made a level-4 heading by bea');
    expect(label(kept([BEA, 2, 4], [BEA, 4, 5]), 5)).toBe('made a level-5 heading by bea');
  });

  it('labels nothing after a round trip', () => {
    expect(label(kept([BEA, 2, 3], [BEA, 3, 2]), 2)).toBeNull();
    expect(label(kept([BEA, 2, 4], [BEA, 4, 5], [BEA, 5, 2]), 2)).toBeNull();
    // An entry left at the writer's value (kept on another stretch) says nothing either.
    expect(label([{ by: BEA, at: 1, author: CAL, client: 1, clock: 0, len: 12, text: 'Risk factors', mark: LEVEL, on: true, value: 2, was: 2 }], 2)).toBeNull();
  });

  it('takes the writer’s own value for how he wrote them', () => {
    // He sets it himself, with nothing of hers on record: nothing kept, nothing labelled.
    expect(label(kept([CAL, 2, 4]), 4)).toBeNull();
    // She makes it 4, he makes it 3: his.
    expect(label(kept([BEA, 2, 4], [CAL, 4, 3]), 3)).toBeNull();
    // She makes it 4, he makes it 3, she makes it 2 (what he first wrote, not what he last set): hers.
    expect(label(kept([BEA, 2, 4], [CAL, 4, 3], [BEA, 3, 2]), 2)).toBe('made a level-2 heading by bea');
  });

  it('says nothing of a level where the words are in no heading now (the kind’s label does)', () => {
    const found = formattingNow(kept([BEA, 2, 4]), new Set());
    expect(found).toBeNull();
  });

  it('says the value, once, and leaves a level to the kind’s label where the same hand made it a heading', () => {
    expect(formattingChange([{ mark: blockMark(attributeKind('orderedList', 'start', 7)), on: true }])).toBe('numbering set to start at 7');
    expect(formattingChange([{ mark: blockMark(attributeKind('orderedList', 'type', 'a')), on: true }, { mark: blockMark(attributeKind('orderedList', 'type', undefined)), on: false }])).toBe('numbered a, b, c');
    expect(formattingChange([{ mark: blockMark(attributeKind('orderedList', 'type', null)), on: true }])).toBe('numbered 1, 2, 3');
    expect(formattingChange([{ mark: blockMark(attributeKind('codeBlock', 'language', 'sql')), on: true }])).toBe('code language set to sql');
    expect(formattingChange([{ mark: blockMark(attributeKind('codeBlock', 'language', null)), on: true }])).toBe('code language taken off');
    expect(formattingChange([{ mark: blockMark('heading'), on: true }, { mark: blockMark(attributeKind('heading', 'level', 4)), on: true }])).toBe('made a heading');
  });

  it('reads an attribute left out as the editor’s default, and names what a mark says', () => {
    expect(attributeKinds('orderedList', () => undefined)).toEqual(['orderedList.start=1', 'orderedList.type=null']);
    expect(attributeKinds('heading', (a) => (a === 'level' ? 3 : undefined))).toEqual(['heading.level=3']);
    expect(attributeKinds('paragraph', () => 1)).toEqual([]);
    expect(attributeOfKind(blockMark(attributeKind('heading', 'level', 5)))).toEqual({ node: 'heading', attribute: 'level', value: 5 });
    expect(attributeOfKind(blockMark('heading'))).toBeNull();
    expect(attributeOfKind('bold')).toBeNull();
  });
});
