import type * as Y from 'yjs';
import { lineWordPieces, lineWords, type LinePiece } from '../../shared/note/lineWords';
import { readNote, type Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { AuthorOf, DerivedBlock } from './derivedNote';
import type { MemberLabels } from './MemberLabels';
import { pieces, type Piece } from './notePieces';
import { spanQuoted, type SpanPiece } from '../../shared/note/spanWords';

/**
 * The member's observations: their tags, the words tagged (others' labels redacted), who made them.
 *
 * "This member's observations" in a member's chart says the observation concerns that member, so
 * it lists only observations that say whose they are:
 * - one tagged with a member is that member's and no one else's, whoever else its paragraph names
 *   ("M1 practised breathing. [JD was restless]" tagged JD is not M1's: walk, 3 Dec);
 * - one tagged with no member is for the members its own words name (an observation about two
 *   members goes to both); when its words name nobody, for the one member its paragraph names;
 * - one whose paragraph names several members and that says nothing itself is in no member's list:
 *   it could be any of theirs, and a guess puts one member's behaviour in another's record. Its
 *   paragraph still goes into each named member's note, with the others redacted.
 */
export function memberObservations(doc: Y.Doc, labels: MemberLabels, member: string, tagName: (id: string) => string, authorName: (id: string) => string, authorOf: AuthorOf = () => null): DerivedBlock[] {
  const { observations } = sessionDoc(doc);
  const lineIds = new Set(Array.from(observations.values()).filter((o) => o.kind === 'line').map((o) => o.id));
  const quotes = new Map<string, string>();
  // Who wrote the words each observation quotes: a co-therapist may write inside another's tagged
  // words, and a label he writes there decides whose chart it goes to (attack, 6 Dec: B's " M2"
  // in A's "was tearful" put "Affect: was M2 tearful — A" in M2's note, as if A wrote it all).
  const writers = new Map<string, Set<string>>();
  const paragraphNames = new Map<string, Set<string>>();
  const visit = (b: Block) => {
    const ps = pieces(b);
    if (ps === null) return b.children.forEach(visit);
    const named = labels.named(ps);
    const linePieces: LinePiece[] = ps.map((p) => (p.kind === 'break' ? p : { kind: 'run', text: p.kind === 'mention' ? `@${p.label}` : p.text, observationIds: p.kind === 'text' ? p.observationIds : [] }));
    for (const id of new Set(ps.flatMap((p) => (p.kind === 'text' ? p.observationIds : [])))) {
      const isLine = (x: string) => lineIds.has(x);
      const words = lineIds.has(id) ? lineWords(linePieces, id, isLine) ?? '' : spanWords(ps, id);
      quotes.set(id, [quotes.get(id), words].filter((q) => q).join(' '));
      const range = lineIds.has(id) ? lineWordPieces(linePieces, id, isLine) : null;
      const quoted = range ? ps.slice(range.from, range.to) : spanQuoted(spanKinds(ps, id)).map((i) => ps[i]!);
      const by = writers.get(id) ?? new Set<string>();
      for (const p of quoted) {
        const author = p.kind !== 'break' && p.from && (p.kind === 'mention' || p.text.trim() !== '') ? authorOf(p.from) : null;
        if (author) by.add(author);
      }
      writers.set(id, by);
      paragraphNames.set(id, new Set([...(paragraphNames.get(id) ?? []), ...named]));
    }
  };
  readNote(sessionDoc(doc).note).forEach(visit);
  const whose = (o: { id: string; member: string | null }): Set<string> => {
    if (o.member !== null) return new Set([o.member]);
    const own = new Set(labels.matches(quotes.get(o.id) ?? '').flatMap((m) => labels.labelsOf(m.word)));
    if (own.size > 0) return own;
    const around = paragraphNames.get(o.id) ?? new Set<string>();
    return around.size === 1 ? around : new Set();
  };
  const mine = Array.from(observations.values())
    .filter((o) => whose(o).has(member))
    .sort((a, b) => a.createdAt - b.createdAt);
  return mine.map((o) => {
    const about = o.member === member ? ` (${member})` : '';
    const quote = labels.redact((quotes.get(o.id) ?? '').replace(/@/g, ''), member).trim();
    const others = [...(writers.get(o.id) ?? [])].filter((w) => w !== o.authorId).map(authorName);
    const also = others.length > 0 ? ` (with words by ${others.join(' and ')})` : '';
    const text = `${o.tags.map(tagName).join(', ')}${about}: ${quote || 'no words recorded'}${also} — ${authorName(o.authorId)}`;
    return { type: 'listItem', attrs: {}, children: [{ type: 'paragraph', attrs: {}, inline: [{ text }] }] };
  });
}

/** The words a span observation tagged, with the mentions that name whom they are about (spanWords.ts). */
function spanWords(ps: Piece[], id: string): string {
  return spanQuoted(spanKinds(ps, id)).map((i) => {
    const p = ps[i]!;
    return p.kind === 'mention' ? `@${p.label}` : p.kind === 'text' ? p.text : '';
  }).join('');
}

/** Each piece as spanQuoted reads it for observation `id`. */
function spanKinds(ps: Piece[], id: string): SpanPiece[] {
  return ps.map((p): SpanPiece => {
    if (p.kind === 'mention') return 'mention';
    if (p.kind !== 'text') return 'other';
    return p.observationIds.includes(id) ? 'marked' : p.text.trim() === '' ? 'space' : 'other';
  });
}
