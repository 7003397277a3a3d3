import type * as Y from 'yjs';
import { lineWords, type LinePiece } from '../../shared/note/lineWords';
import { readNote, type Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { DerivedBlock } from './derivedNote';
import { ANOTHER_MEMBER, type MemberLabels } from './MemberLabels';
import { pieces } from './notePieces';

/** The member's observations: their tags, the words tagged (others' labels redacted), who made them. */
export function memberObservations(doc: Y.Doc, labels: MemberLabels, member: string, tagName: (id: string) => string, authorName: (id: string) => string): DerivedBlock[] {
  const { observations } = sessionDoc(doc);
  const lineIds = new Set(Array.from(observations.values()).filter((o) => o.kind === 'line').map((o) => o.id));
  const quotes = new Map<string, string>();
  const blockConcerns = new Map<string, Set<string>>();
  const visit = (b: Block) => {
    const ps = pieces(b);
    if (ps === null) return b.children.forEach(visit);
    const who = labels.concerns(b);
    const linePieces: LinePiece[] = ps.map((p) => (p.kind === 'break' ? p : { kind: 'run', text: p.kind === 'mention' ? `@${p.label}` : p.text, observationIds: p.kind === 'text' ? p.observationIds : [] }));
    for (const id of new Set(ps.flatMap((p) => (p.kind === 'text' ? p.observationIds : [])))) {
      const words = lineIds.has(id)
        ? lineWords(linePieces, id, (x) => lineIds.has(x)) ?? ''
        : ps.map((p) => (p.kind === 'text' && p.observationIds.includes(id) ? p.text : '')).join('');
      quotes.set(id, [quotes.get(id), words].filter((q) => q).join(' '));
      blockConcerns.set(id, new Set([...(blockConcerns.get(id) ?? []), ...who]));
    }
  };
  readNote(sessionDoc(doc).note).forEach(visit);
  const mine = Array.from(observations.values())
    .filter((o) => o.member === member || blockConcerns.get(o.id)?.has(member))
    .sort((a, b) => a.createdAt - b.createdAt);
  return mine.map((o) => {
    const about = o.member === null ? '' : o.member === member ? ` (${member})` : ` (${ANOTHER_MEMBER})`;
    const quote = labels.redact((quotes.get(o.id) ?? '').replace(/@/g, ''), member).trim();
    const text = `${o.tags.map(tagName).join(', ')}${about}: ${quote || 'no words recorded'} — ${authorName(o.authorId)}`;
    return { type: 'listItem', attrs: {}, children: [{ type: 'paragraph', attrs: {}, inline: [{ text }] }] };
  });
}
