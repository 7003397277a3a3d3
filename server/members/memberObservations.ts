import type * as Y from 'yjs';
import { lineWordPieces, lineWords, type LinePiece } from '../../shared/note/lineWords';
import { readNote, type Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { ExtentChange } from '../../shared/note/extentChanges';
import type { AuthorOf, DerivedBlock, DerivedInline, TextFrom } from './derivedNote';
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
export function memberObservations(doc: Y.Doc, labels: MemberLabels, member: string, names: EntryNames, authorOf: AuthorOf = () => null): DerivedBlock[] {
  const { tagName, authorName } = names;
  const { observations, extents } = sessionDoc(doc);
  const lineIds = new Set(Array.from(observations.values()).filter((o) => o.kind === 'line').map((o) => o.id));
  const quotes = new Map<string, string>();
  // Who wrote the words each observation quotes: a co-therapist may write inside another's tagged
  // words, and a label he writes there decides whose chart it goes to (attack, 6 Dec: B's " M2"
  // in A's "was tearful" put "Affect: was M2 tearful — A" in M2's note, as if A wrote it all).
  const writers = new Map<string, Set<string>>();
  // Where each observation's quoted words start in the group note, its author's first if she wrote any:
  // the entry's quote keeps its writer, so words typed to read as the server's label stay the typist's.
  const quoteFrom = new Map<string, TextFrom>();
  const ownFrom = new Set<string>();
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
      const authorId = observations.get(id)?.authorId;
      for (const p of quoted) {
        const author = p.kind !== 'break' && p.from && (p.kind === 'mention' || p.text.trim() !== '') ? authorOf(p.from) : null;
        if (author) by.add(author);
        const own = author !== null && author === authorId;
        if (p.kind !== 'break' && p.from && (!quoteFrom.has(id) || (own && !ownFrom.has(id)))) {
          quoteFrom.set(id, p.from);
          if (own) ownFrom.add(id);
        }
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
    const from = quoteFrom.get(o.id);
    const words: DerivedInline[] = quote ? [{ text: quote, ...(from ? { from } : {}) }] : [{ text: 'no words recorded' }];
    const tail = `${also} — ${authorName(o.authorId)}${extentLabel(extents.get(o.id), member, labels, names)}`;
    const inline: DerivedInline[] = [{ text: `${o.tags.map(tagName).join(', ')}${about}: ` }, ...words, { text: tail }];
    return { type: 'listItem', attrs: {}, children: [{ type: 'paragraph', attrs: {}, inline }] };
  });
}

/** How the member note's entries name tags, accounts and server times. */
export interface EntryNames {
  tagName(id: string): string;
  authorName(id: string): string;
  /** A server time (ms) as the record writes it (localTime.ts, the clinic's zone). */
  timeAt(ms: number): string;
}

/**
 * The other therapist's change of which words the observation quotes (shared/note/extentChanges.ts),
 * as the group review says it, in the server's words: the entry read as wholly its author's (attack,
 * 6 Dec: B's join of A's next line into her tagged line about M1 stood in M1's note as A's).
 */
function extentLabel(e: ExtentChange | undefined, member: string, labels: MemberLabels, names: EntryNames): string {
  if (!e) return '';
  const was = labels.redact(e.was.replace(/@/g, ''), member).trim();
  return `; what it quotes changed by ${names.authorName(e.by)}, ${names.timeAt(e.at)} — ${was ? `as tagged: “${was}”` : 'as tagged, it quoted nothing'}`;
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
