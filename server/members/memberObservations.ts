import type * as Y from 'yjs';
import { lineWords, type LinePiece } from '../../shared/note/lineWords';
import { readNote, type Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { DerivedBlock } from './derivedNote';
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
export function memberObservations(doc: Y.Doc, labels: MemberLabels, member: string, tagName: (id: string) => string, authorName: (id: string) => string): DerivedBlock[] {
  const { observations } = sessionDoc(doc);
  const lineIds = new Set(Array.from(observations.values()).filter((o) => o.kind === 'line').map((o) => o.id));
  const quotes = new Map<string, string>();
  const paragraphNames = new Map<string, Set<string>>();
  const visit = (b: Block) => {
    const ps = pieces(b);
    if (ps === null) return b.children.forEach(visit);
    const named = labels.named(ps);
    const linePieces: LinePiece[] = ps.map((p) => (p.kind === 'break' ? p : { kind: 'run', text: p.kind === 'mention' ? `@${p.label}` : p.text, observationIds: p.kind === 'text' ? p.observationIds : [] }));
    for (const id of new Set(ps.flatMap((p) => (p.kind === 'text' ? p.observationIds : [])))) {
      const words = lineIds.has(id) ? lineWords(linePieces, id, (x) => lineIds.has(x)) ?? '' : spanWords(ps, id);
      quotes.set(id, [quotes.get(id), words].filter((q) => q).join(' '));
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
    const text = `${o.tags.map(tagName).join(', ')}${about}: ${quote || 'no words recorded'} — ${authorName(o.authorId)}`;
    return { type: 'listItem', attrs: {}, children: [{ type: 'paragraph', attrs: {}, inline: [{ text }] }] };
  });
}

/** The words a span observation tagged, with the mentions that name whom they are about (spanWords.ts). */
function spanWords(ps: Piece[], id: string): string {
  const kinds = ps.map((p): SpanPiece => {
    if (p.kind === 'mention') return 'mention';
    if (p.kind !== 'text') return 'other';
    return p.observationIds.includes(id) ? 'marked' : p.text.trim() === '' ? 'space' : 'other';
  });
  return spanQuoted(kinds).map((i) => {
    const p = ps[i]!;
    return p.kind === 'mention' ? `@${p.label}` : p.kind === 'text' ? p.text : '';
  }).join('');
}
