import { describe, expect, it } from 'vitest';
import { formattingNow, type FormattedWords } from '../../shared/note/formattedWords';

const CAL = 'cal';
const BEA = 'bea';
let at = 0;
/** A change of a block kind on Cal's words, `by` someone, one millisecond after the last (or at `when`). */
const change = (by: string, kind: string, on: boolean, when = ++at): FormattedWords => ({ by, at: when, author: CAL, client: 1, clock: 0, len: 5, text: 'Sleep', mark: `block:${kind}`, on });
const now = (entries: FormattedWords[], ...kinds: string[]) => {
  const found = formattingNow(entries, new Set(kinds.map((k) => `block:${k}`)));
  return found && `${found.changes.map((c) => `${c.mark.slice(6)} ${c.on ? 'on' : 'off'}`).join(', ')} by ${found.by}`;
};

// Walk, 6 Dec: a heading made and unmade by Bea on Cal's line read "taken out of a heading by Bea".
describe('formattingNow of a block kind: the difference from the kind the writer wrote the words in', () => {
  it('labels nothing after a round trip, whatever the copies kept of it', () => {
    expect(now([change(BEA, 'heading', true), change(BEA, 'heading', false)])).toBeNull();
    expect(now([change(BEA, 'bulletList', true), change(BEA, 'bulletList', false), change(BEA, 'bulletList', true), change(BEA, 'bulletList', false)])).toBeNull();
    // His list item, out of the list and back in.
    expect(now([change(BEA, 'bulletList', false), change(BEA, 'bulletList', true)], 'bulletList')).toBeNull();
    // Both in the same millisecond: a toggle made and taken back.
    expect(now([change(BEA, 'heading', false, 100), change(BEA, 'heading', true, 100)])).toBeNull();
    expect(now([change(BEA, 'heading', true, 100), change(BEA, 'heading', false, 100)], 'heading')).toBeNull();
  });

  it('names the net difference of a chain, in the name of the last one who made it', () => {
    // List, out again, then a quote: made a quote.
    expect(now([change(BEA, 'bulletList', true), change(BEA, 'bulletList', false), change(BEA, 'blockquote', true)], 'blockquote')).toBe('blockquote on by bea');
    // His list item lifted out: taken out of a list.
    expect(now([change(BEA, 'bulletList', false)])).toBe('bulletList off by bea');
  });

  it('takes the writer’s own change for how he wrote the words', () => {
    // She makes his line a heading, he makes it a paragraph again: as he wrote it.
    expect(now([change(BEA, 'heading', true), change(CAL, 'heading', false)])).toBeNull();
    // She makes it a heading, he wraps it in a quote himself (kept only where hers was on record): her heading stands, his quote is his.
    expect(now([change(BEA, 'heading', true)], 'heading', 'blockquote')).toBe('heading on by bea');
    // He made it a heading, she takes it out of the heading: she did.
    expect(now([change(CAL, 'heading', true), change(BEA, 'heading', false)])).toBe('heading off by bea');
    // She makes it a heading, he takes it out, she makes it one again: hers.
    expect(now([change(BEA, 'heading', true), change(CAL, 'heading', false), change(BEA, 'heading', true)], 'heading')).toBe('heading on by bea');
  });
});

/** A change of `mark` on Cal's words, `by` someone, one millisecond after the last. */
const markChange = (by: string, mark: string, on: boolean): FormattedWords => ({ by, at: ++at, author: CAL, client: 1, clock: 0, len: 5, text: 'Sleep', mark, on });
const marksNow = (entries: FormattedWords[], ...marks: string[]) => {
  const found = formattingNow(entries, new Set(marks));
  return found && `${found.changes.map((c) => `${c.mark} ${c.on ? 'on' : 'off'}`).join(', ')} by ${found.by}`;
};

// 6 Dec: Bea made "flat, speech" bold and took it off "flat"; "flat" read "bold taken off by Bea",
// words Cal never made bold (the two entries, cut differently, did not cancel).
describe('formattingNow of a mark that is only on or off: the same difference from how the writer wrote the words', () => {
  it('labels nothing where the words look as their writer made them', () => {
    expect(marksNow([markChange(BEA, 'bold', true), markChange(BEA, 'bold', false)])).toBeNull();
    expect(marksNow([markChange(CAL, 'strike', true), markChange(BEA, 'strike', false), markChange(CAL, 'strike', true)], 'strike')).toBeNull();
  });

  it('names who made them look otherwise', () => {
    expect(marksNow([markChange(BEA, 'bold', true)], 'bold')).toBe('bold on by bea');
    // His own strike-through, taken off by her.
    expect(marksNow([markChange(CAL, 'strike', true), markChange(BEA, 'strike', false)])).toBe('strike off by bea');
    // Written struck (nothing on record of his), taken off by her.
    expect(marksNow([markChange(BEA, 'strike', false)])).toBe('strike off by bea');
  });

  it('keeps a link’s latest change by another while the words are still linked (its address can change while it stays on)', () => {
    expect(marksNow([markChange(BEA, 'link', true)], 'link')).toBe('link on by bea');
    expect(marksNow([markChange(CAL, 'link', true), markChange(BEA, 'link', true)], 'link')).toBe('link on by bea');
  });
});
