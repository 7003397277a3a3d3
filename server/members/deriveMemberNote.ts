/**
 * One member's individual note, derived from the group note when the group session ends.
 *
 * Which blocks of the group note belong to member X:
 * - A block "concerns" the members it mentions: mention nodes, the member of every observation
 *   whose mark is in it, and any member label written as a plain word (a label typed without `@`
 *   is still that member), found in any case over the block's whole text, however its runs split it.
 * - Text blocks (paragraphs, code) and quotes: in X's note when they concern nobody (group
 *   content: themes, interventions, plan) or concern X among others.
 * - Lists: item by item, on the item's own text; a nested list is filtered the same way inside
 *   its item. A list with no item left is dropped.
 * - Headings and rules always stay (the note keeps the group note's sections).
 * - Observations: X's are those whose member is X or whose text concerns X; an observation on
 *   two members lands in both notes.
 * Every other member is rendered as "another member" — mentions, observation members and plain
 * words alike — so no other label reaches X's note. X's own mentions stay mentions of X.
 */
import * as Y from 'yjs';
import type { Attendance } from '../persistence/ports';
import type { RiskEntry } from '../../shared/domain/risk';
import { lineWords, type LinePiece } from '../../shared/note/lineWords';
import { readNote, type Block } from '../../shared/note/readNote';
import { MENTION_NODE, NOTE_FIELD, OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';

export const ANOTHER_MEMBER = 'another member';

/** Inline content of a derived block. */
export type DerivedInline = { text: string; marks?: string[] } | { mention: string } | { break: true };

export interface DerivedBlock {
  type: string;
  attrs: Record<string, unknown>;
  inline?: DerivedInline[];
  children?: DerivedBlock[];
}

export interface MemberNoteInput {
  member: string;
  /** Every label of the group (the member's included). */
  members: readonly string[];
  attendance: Attendance;
  /** Date and duration of the group session, as the export writes them. */
  date: string;
  duration: string;
  groupTitle: string;
  tagName(id: string): string;
  authorName(id: string): string;
}

export interface DerivedMemberNote {
  blocks: DerivedBlock[];
  /** The member's risk record from the group note (carried into the member note's own `risk` map). */
  risk: RiskEntry | null;
}

/** Formatting kept in the member note: what a reader sees (observation marks and links are the group note's). */
const KEPT_MARKS = ['bold', 'italic', 'underline', 'strike', 'code'];

type Piece = { kind: 'text'; text: string; marks: string[]; observationIds: string[] } | { kind: 'mention'; label: string } | { kind: 'break' };

/** A text block's inline pieces in order (runs, or text/break/mention children), or null for a block that holds blocks. */
function pieces(block: Block): Piece[] | null {
  const fromRuns = (b: Block): Piece[] =>
    b.runs.map((r) => {
      const obs = r.marks[OBSERVATION_MARK]?.id;
      return { kind: 'text', text: r.text, marks: Object.keys(r.marks).filter((m) => KEPT_MARKS.includes(m)), observationIds: typeof obs === 'string' ? [obs] : [] };
    });
  if (block.runs.length > 0) return fromRuns(block);
  if (block.children.length === 0) return block.type === 'paragraph' || block.type === 'heading' || block.type === 'codeBlock' ? [] : null;
  if (!block.children.every((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === MENTION_NODE)) return null;
  return block.children.flatMap((c): Piece[] => {
    if (c.type === 'hardBreak') return [{ kind: 'break' }];
    if (c.type === MENTION_NODE) return typeof c.attrs.id === 'string' ? [{ kind: 'mention', label: c.attrs.id }] : [];
    return fromRuns(c);
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Stands for a mention or a line break in a block's joined text: not a letter or digit, so it ends
 * a word (a label typed right against a mention chip is still a word), and never part of a label.
 */
const NOT_TEXT = '\uFFFC';

/**
 * A text block's pieces as one string, with where each text piece starts in it. Labels are matched
 * on this and not run by run: a run ends wherever formatting, the writer or the moment of typing
 * changes, so "M" in bold followed by "2 was angry" — or two sibling text nodes — is one word "M2".
 */
function joined(ps: Piece[]): { text: string; starts: number[] } {
  let text = '';
  const starts = ps.map((p) => {
    const start = text.length;
    text += p.kind === 'text' ? p.text : NOT_TEXT;
    return start;
  });
  return { text, starts };
}

export class MemberNoteDeriver {
  private readonly wordPattern: RegExp | null;
  /** Every label by its lower-case form (two labels differing only in case would share one). */
  private readonly byLower = new Map<string, string[]>();
  private readonly observationMember: Map<string, string | null>;

  constructor(
    private readonly doc: Y.Doc,
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
  private labelsOf(word: string): string[] {
    return this.byLower.get(word.toLowerCase()) ?? [];
  }

  /** Whether a label written as a word is the member's own (kept) rather than another member's (redacted). */
  private isOwn(word: string, member: string): boolean {
    const labels = this.labelsOf(word);
    return labels.length === 1 && labels[0] === member;
  }

  /** Every label written as a word in the text, with where it is. */
  private matches(text: string): { index: number; word: string }[] {
    return this.wordPattern ? Array.from(text.matchAll(this.wordPattern), (m) => ({ index: m.index, word: m[1]! })) : [];
  }

  /** The members a block concerns (mentions, observation members, labels written as words), nested blocks included. */
  concerns(block: Block): Set<string> {
    const found = new Set<string>();
    const visit = (b: Block) => {
      const ps = pieces(b);
      if (ps === null) return b.children.forEach(visit);
      for (const p of ps) {
        if (p.kind === 'mention' && this.members.includes(p.label)) found.add(p.label);
        if (p.kind !== 'text') continue;
        for (const id of p.observationIds) {
          const m = this.observationMember.get(id);
          if (m) found.add(m);
        }
      }
      // Over the block's whole text, not run by run (see `joined`).
      for (const { word } of this.matches(joined(ps).text)) this.labelsOf(word).forEach((l) => found.add(l));
    };
    visit(block);
    return found;
  }

  /** Text with every other member's label (as a word) replaced by "another member". */
  redact(text: string, member: string): string {
    return this.wordPattern ? text.replace(this.wordPattern, (word: string) => (this.isOwn(word, member) ? word : ANOTHER_MEMBER)) : text;
  }

  /**
   * A block's inline content for `member`'s note. Other members' labels are found in the block's
   * joined text; one that spans runs is written whole into the run where it starts (with that
   * run's formatting) and its remaining characters are taken out of the runs after it — formatting
   * inside a label may be lost, the label never survives in pieces.
   */
  private inline(ps: Piece[], member: string): DerivedInline[] {
    const { text: all, starts } = joined(ps);
    const others = this.matches(all).filter((m) => !this.isOwn(m.word, member));
    return ps.flatMap((p, i): DerivedInline[] => {
      if (p.kind === 'break') return [{ break: true }];
      if (p.kind === 'mention') return [p.label === member ? { mention: member } : { text: ANOTHER_MEMBER }];
      const start = starts[i]!;
      const end = start + p.text.length;
      let text = '';
      let at = start;
      for (const m of others) {
        const mEnd = m.index + m.word.length;
        if (mEnd <= start || m.index >= end) continue;
        text += all.slice(at, Math.max(at, m.index));
        if (m.index >= start) text += ANOTHER_MEMBER;
        at = Math.min(end, mEnd);
      }
      text += all.slice(at, end);
      return text === '' ? [] : [p.marks.length > 0 ? { text, marks: p.marks } : { text }];
    });
  }

  /** Whether derived inline content still names another member (the last check before a block goes into a note). */
  private leaks(inline: DerivedInline[], member: string): boolean {
    const text = inline.map((p) => ('text' in p ? p.text : NOT_TEXT)).join('');
    return this.matches(text).some((m) => !this.isOwn(m.word, member)) || inline.some((p) => 'mention' in p && p.mention !== member);
  }

  /** A text block as it stands in the member's note, or null when it would still name another member. */
  private textBlock(b: Block, ps: Piece[], member: string): DerivedBlock | null {
    const inline = this.inline(ps, member);
    return this.leaks(inline, member) ? null : { type: b.type, attrs: b.attrs, inline };
  }

  /** Whether a block is the member's to see: it concerns nobody (group content) or concerns them. */
  private belongs(block: Block, member: string): boolean {
    const who = this.concerns(block);
    return who.size === 0 || who.has(member);
  }

  /** The group note's blocks as they stand in `member`'s note (see the module comment). */
  select(blocks: Block[], member: string): DerivedBlock[] {
    return blocks.flatMap((b) => {
      const out = this.block(b, member);
      return out ? [out] : [];
    });
  }

  private block(b: Block, member: string): DerivedBlock | null {
    const ps = pieces(b);
    if (ps !== null) {
      if (b.type === 'heading') return this.textBlock(b, ps, member);
      if (ps.length === 0 || !this.belongs(b, member)) return null;
      return this.textBlock(b, ps, member);
    }
    switch (b.type) {
      case 'horizontalRule':
        return { type: b.type, attrs: {} };
      case 'bulletList':
      case 'orderedList': {
        const items = b.children.flatMap((item) => {
          const out = this.listItem(item, member);
          return out ? [out] : [];
        });
        return items.length > 0 ? { type: b.type, attrs: b.attrs, children: items } : null;
      }
      case 'blockquote': {
        const children = this.select(b.children, member);
        return children.length > 0 ? { type: b.type, attrs: b.attrs, children } : null;
      }
      default:
        return this.belongs(b, member) ? { type: b.type, attrs: b.attrs, children: this.select(b.children, member) } : null;
    }
  }

  /** A list item decided on its own text; its nested lists are filtered inside it. */
  private listItem(item: Block, member: string): DerivedBlock | null {
    const isList = (c: Block) => c.type === 'bulletList' || c.type === 'orderedList';
    const own = item.children.filter((c) => !isList(c));
    const who = new Set(own.flatMap((c) => [...this.concerns(c)]));
    if (who.size > 0 && !who.has(member)) return null;
    const children = item.children.flatMap((c) => {
      if (!isList(c)) {
        const ps = pieces(c);
        if (ps === null) return this.select([c], member);
        const out = this.textBlock(c, ps, member);
        return out ? [out] : [];
      }
      const nested = this.block(c, member);
      return nested ? [nested] : [];
    });
    const hasText = own.some((c) => (pieces(c) ?? [null]).length > 0);
    if (!hasText && !children.some(isListBlock)) return null;
    // A list item must start with a paragraph in the editor's schema.
    if (children[0]?.type !== 'paragraph') children.unshift({ type: 'paragraph', attrs: {}, inline: [] });
    return { type: 'listItem', attrs: item.attrs, children };
  }

  /** The member's observations: their tags, the words tagged (others' labels redacted), who made them. */
  observations(member: string, tagName: (id: string) => string, authorName: (id: string) => string): DerivedBlock[] {
    const { observations } = sessionDoc(this.doc);
    const lineIds = new Set(Array.from(observations.values()).filter((o) => o.kind === 'line').map((o) => o.id));
    const quotes = new Map<string, string>();
    const blockConcerns = new Map<string, Set<string>>();
    const visit = (b: Block) => {
      const ps = pieces(b);
      if (ps === null) return b.children.forEach(visit);
      const who = this.concerns(b);
      const linePieces: LinePiece[] = ps.map((p) => (p.kind === 'break' ? p : { kind: 'run', text: p.kind === 'mention' ? `@${p.label}` : p.text, observationIds: p.kind === 'text' ? p.observationIds : [] }));
      for (const id of new Set(ps.flatMap((p) => (p.kind === 'text' ? p.observationIds : [])))) {
        const words = lineIds.has(id)
          ? lineWords(linePieces, id, (x) => lineIds.has(x)) ?? ''
          : ps.map((p) => (p.kind === 'text' && p.observationIds.includes(id) ? p.text : '')).join('');
        quotes.set(id, [quotes.get(id), words].filter((q) => q).join(' '));
        blockConcerns.set(id, new Set([...(blockConcerns.get(id) ?? []), ...who]));
      }
    };
    readNote(sessionDoc(this.doc).note).forEach(visit);
    const mine = Array.from(observations.values())
      .filter((o) => o.member === member || blockConcerns.get(o.id)?.has(member))
      .sort((a, b) => a.createdAt - b.createdAt);
    return mine.map((o) => {
      const about = o.member === null ? '' : o.member === member ? ` (${member})` : ` (${ANOTHER_MEMBER})`;
      const quote = this.redact((quotes.get(o.id) ?? '').replace(/@/g, ''), member).trim();
      const text = `${o.tags.map(tagName).join(', ')}${about}: ${quote || 'no words recorded'} — ${authorName(o.authorId)}`;
      return { type: 'listItem', attrs: {}, children: [{ type: 'paragraph', attrs: {}, inline: [{ text }] }] };
    });
  }
}

const isListBlock = (b: DerivedBlock) => b.type === 'bulletList' || b.type === 'orderedList';

const heading = (text: string): DerivedBlock => ({ type: 'heading', attrs: { level: 2 }, inline: [{ text }] });
const paragraph = (text: string): DerivedBlock => ({ type: 'paragraph', attrs: {}, inline: [{ text }] });

/** The member note's blocks and risk record, derived from the group note (see the module comment). */
export function deriveMemberNote(groupDoc: Y.Doc, input: MemberNoteInput): DerivedMemberNote {
  const deriver = new MemberNoteDeriver(groupDoc, input.members);
  const { member } = input;
  const group = deriver.select(readNote(sessionDoc(groupDoc).note), member);
  const observations = deriver.observations(member, input.tagName, input.authorName);
  const risk = sessionDoc(groupDoc).risk.get(member) ?? null;
  const blocks: DerivedBlock[] = [
    heading('Group session'),
    { type: 'paragraph', attrs: {}, inline: [{ text: `Individual note for ` }, { mention: member }, { text: `, from the group session “${deriver.redact(input.groupTitle, member)}”.` }] },
    {
      type: 'bulletList',
      attrs: {},
      children: [`Date: ${input.date}`, `Duration: ${input.duration}`, `Attendance: ${input.attendance}`].map((t) => ({ type: 'listItem', attrs: {}, children: [paragraph(t)] })),
    },
    ...group,
    heading('This member’s observations'),
    ...(observations.length > 0 ? [{ type: 'bulletList', attrs: {}, children: observations }] : [paragraph('None recorded in the group session.')]),
  ];
  return { blocks, risk: risk && { ...risk, assessment: deriver.redact(risk.assessment, member), plan: deriver.redact(risk.plan, member) } };
}

/** The derived note as the server's first update of the member note's document. */
export function memberNoteUpdate(derived: DerivedMemberNote, member: string): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getXmlFragment(NOTE_FIELD).insert(0, derived.blocks.map(toYjs));
    if (derived.risk) sessionDoc(doc).risk.set(member, derived.risk);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function toYjs(block: DerivedBlock): Y.XmlElement {
  const el = new Y.XmlElement(block.type);
  // Tiptap wants numbers where they are numbers (a heading's level); Yjs types attributes as strings.
  for (const [k, v] of Object.entries(block.attrs)) if (v !== null && v !== undefined) (el as unknown as Y.XmlElement<Record<string, number | string | boolean>>).setAttribute(k, v as number | string | boolean);
  if (block.inline) {
    const nodes: (Y.XmlText | Y.XmlElement)[] = [];
    let text: { node: Y.XmlText; length: number } | null = null;
    for (const piece of block.inline) {
      if ('mention' in piece || 'break' in piece) {
        const node = new Y.XmlElement('mention' in piece ? MENTION_NODE : 'hardBreak');
        if ('mention' in piece) node.setAttribute('id', piece.mention);
        nodes.push(node);
        text = null;
        continue;
      }
      if (!text) {
        text = { node: new Y.XmlText(), length: 0 };
        nodes.push(text.node);
      }
      // Written before the text joins a document: Yjs keeps it and writes it when it does.
      text.node.insert(text.length, piece.text, Object.fromEntries((piece.marks ?? []).map((m) => [m, {}])));
      text.length += piece.text.length;
    }
    el.insert(0, nodes);
  } else if (block.children) {
    el.insert(0, block.children.map(toYjs));
  }
  return el;
}
