import type * as Y from 'yjs';
import type { Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { DerivedInline } from './derivedNote';
import { escape, joined, NOT_TEXT, pieces, type Piece } from './notePieces';

const ANOTHER_MEMBER = 'another member';

/** "another member", capitalised where a sentence starts: after nothing, or after . ! ? (walk, 4 Dec). */
const anotherMember = (before: string): string => (/(^|[.!?])\s*$/.test(before) ? 'Another member' : ANOTHER_MEMBER);

/**
 * A group's member labels as the group note holds them: which members a block concerns (mentions,
 * observation members, labels written as words), and text and inline content with every other
 * member's label redacted to "another member" for one member's note.
 */
export class MemberLabels {
  private readonly wordPattern: RegExp | null;
  /** Every label by its lower-case form (two labels differing only in case would share one). */
  private readonly byLower = new Map<string, string[]>();
  private readonly observationMember: Map<string, string | null>;

  constructor(
    doc: Y.Doc,
    private readonly members: readonly string[],
  ) {
    for (const m of members) this.byLower.set(m.toLowerCase(), [...(this.byLower.get(m.toLowerCase()) ?? []), m]);
    // Longest first, so "M12" is not read as "M1" followed by "2". Case-insensitive: labels are
    // pseudonyms (M1, JD) that people type as "m2" or "jd" just as well, and a missed match leaks
    // the label into another member's note while a spurious one only withholds a block from a
    // note; whole words only (no letter, digit or underscore either side), so "M20" or "JDX" is
    // not M2 or JD.
    const labels = [...members].sort((a, b) => b.length - a.length).map(escape);
    this.wordPattern = labels.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}_])(${labels.join('|')})(?![\\p{L}\\p{N}_])`, 'giu') : null;
    this.observationMember = new Map(Array.from(sessionDoc(doc).observations.values(), (o) => [o.id, o.member]));
  }

  /** The labels a word written in the note stands for (one, unless two labels differ only in case). */
  labelsOf(word: string): string[] {
    return this.byLower.get(word.toLowerCase()) ?? [];
  }

  /** Whether a label written as a word is the member's own (kept) rather than another member's (redacted). */
  isOwn(word: string, member: string): boolean {
    const labels = this.labelsOf(word);
    return labels.length === 1 && labels[0] === member;
  }

  /** Every label written as a word in the text, with where it is. */
  matches(text: string): { index: number; word: string }[] {
    return this.wordPattern ? Array.from(text.matchAll(this.wordPattern), (m) => ({ index: m.index, word: m[1]! })) : [];
  }

  /** The members a text block's words name: its mentions and labels written as words. */
  named(ps: Piece[]): Set<string> {
    const found = new Set<string>();
    for (const p of ps) if (p.kind === 'mention' && this.members.includes(p.label)) found.add(p.label);
    // Over the block's whole text, not run by run (see `joined`).
    for (const { word } of this.matches(joined(ps).text)) this.labelsOf(word).forEach((l) => found.add(l));
    return found;
  }

  /** The members a block concerns (mentions, observation members, labels written as words), nested blocks included. */
  concerns(block: Block): Set<string> {
    const found = new Set<string>();
    const visit = (b: Block) => {
      const ps = pieces(b);
      if (ps === null) return b.children.forEach(visit);
      for (const p of ps) {
        if (p.kind !== 'text') continue;
        for (const id of p.observationIds) {
          const m = this.observationMember.get(id);
          if (m) found.add(m);
        }
      }
      this.named(ps).forEach((l) => found.add(l));
    };
    visit(block);
    return found;
  }

  /** Text with every other member's label (as a word) replaced by "another member". */
  redact(text: string, member: string): string {
    return this.wordPattern ? text.replace(this.wordPattern, (word: string, _label: string, at: number) => (this.isOwn(word, member) ? word : anotherMember(text.slice(0, at)))) : text;
  }

  /**
   * A block's inline content for `member`'s note. Other members' labels are found in the block's
   * joined text; one that spans runs is written whole into the run where it starts (with that
   * run's formatting) and its remaining characters are taken out of the runs after it — formatting
   * inside a label may be lost, the label never survives in pieces.
   */
  inline(ps: Piece[], member: string): DerivedInline[] {
    const { text: all, starts } = joined(ps);
    const others = this.matches(all).filter((m) => !this.isOwn(m.word, member));
    // Pieces and matches both run forward through the text: the first match not yet behind this
    // piece is kept, so each piece looks only at the matches it touches. Every match against every
    // piece took 5.6 s of a core for a paragraph of 6,000 runs naming a label in each (attack, 2 Dec).
    let first = 0;
    return ps.flatMap((p, i): DerivedInline[] => {
      if (p.kind === 'break') return [{ break: true }];
      if (p.kind === 'mention') return [p.label === member ? { mention: member } : { text: anotherMember(all.slice(0, starts[i])) }];
      const start = starts[i]!;
      const end = start + p.text.length;
      while (first < others.length && others[first]!.index + others[first]!.word.length <= start) first++;
      let text = '';
      let at = start;
      for (let k = first; k < others.length && others[k]!.index < end; k++) {
        const m = others[k]!;
        const mEnd = m.index + m.word.length;
        text += all.slice(at, Math.max(at, m.index));
        if (m.index >= start) text += anotherMember(all.slice(0, m.index));
        at = Math.min(end, mEnd);
      }
      text += all.slice(at, end);
      return text === '' ? [] : [p.marks.length > 0 ? { text, marks: p.marks, from: p.from } : { text, from: p.from }];
    });
  }

  /** Whether derived inline content still names another member (the last check before a block goes into a note). */
  leaks(inline: DerivedInline[], member: string): boolean {
    const text = inline.map((p) => ('text' in p ? p.text : NOT_TEXT)).join('');
    return this.matches(text).some((m) => !this.isOwn(m.word, member)) || inline.some((p) => 'mention' in p && p.mention !== member);
  }
}
