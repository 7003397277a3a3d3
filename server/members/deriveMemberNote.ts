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
 * - Headings and rules stay (the note keeps the group note's sections), but for a heading that
 *   concerns other members only, which is left out as a paragraph would be; each section ends
 *   with how many of its parts were left out, when any were.
 * - Observations: X's are those tagged with X, and those tagged with no member whose own words
 *   name X (or, naming nobody, whose paragraph names X alone); see memberObservations.ts.
 * Every other member is rendered as "another member" — mentions, observation members and plain
 * words alike — so no other label reaches X's note. X's own mentions stay mentions of X.
 * - Another member's tagged line stays out of X's note, even inside a block that is X's: its
 *   marker and the words after it to the line's end are that member's observation (walk, 4 Dec:
 *   "Nonverbal · another member — avoided eye contact" stood in M2's chart); it counts as a part
 *   left out. A span's tagged words stay, redacted: they are part of a sentence about X too.
 */
import type * as Y from 'yjs';
import type { Attendance } from '../persistence/ports';
import type { RiskEntry } from '../../shared/domain/risk';
import { readNote, type Block } from '../../shared/note/readNote';
import { riskReceivedAt, sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { AuthorOf, DerivedBlock, DerivedMemberNote } from './derivedNote';
import { MemberLabels } from './MemberLabels';
import { memberObservations } from './memberObservations';
import { pieces, type Piece } from './notePieces';

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
  /** A server time (ms) as the record writes it. */
  timeAt(ms: number): string;
  /** Who wrote the group note's words from a place on (an account, null: the server or unknown). */
  authorOf?: AuthorOf;
}

/** Which of the group note's blocks go into one member's note, and how (see the module comment). */
class MemberNoteDeriver {
  /** Blocks and list items left out so far for concerning other members only. */
  private leftOut = 0;

  /** `othersLine(id, member)`: whether `id` is a tagged line whose member is not `member`. */
  constructor(private readonly labels: MemberLabels, private readonly othersLine: (id: string, member: string) => boolean) {}

  /** A text block's pieces without other members' tagged lines (see the module comment). */
  private ownPieces(ps: Piece[], member: string): Piece[] {
    const kept: Piece[] = [];
    let skipping = false;
    let dropped = false;
    for (const p of ps) {
      // A line's words run from its marker to the line's end, or to the next observation's mark.
      const marks = p.kind === 'text' ? p.observationIds : [];
      if (p.kind === 'break' || marks.length > 0) skipping = marks.some((id) => this.othersLine(id, member));
      if (skipping) {
        dropped = true;
        continue;
      }
      kept.push(p);
    }
    if (dropped) this.leftOut++;
    return kept;
  }

  /** A text block as it stands in the member's note, or null when it would still name another member. */
  private textBlock(b: Block, ps: Piece[], member: string): DerivedBlock | null {
    const inline = this.labels.inline(ps, member);
    if (!this.labels.leaks(inline, member)) return { type: b.type, attrs: b.attrs, inline };
    this.leftOut++;
    return null;
  }

  /**
   * The note's top-level blocks for `member`, each section (from a heading to the next) ending with
   * how many of its parts were left out for concerning other members: an empty "Interventions"
   * read as none delivered (walk, 4 Dec), when they named other members. The count is plain text in
   * brackets, as a record marks words left out: in italics, words typed after it were italic too.
   */
  sections(blocks: Block[], member: string): DerivedBlock[] {
    const out: DerivedBlock[] = [];
    let counted = this.leftOut;
    const tell = () => {
      const n = this.leftOut - counted;
      if (n > 0) out.push({ type: 'paragraph', attrs: {}, inline: [{ text: `[${n === 1 ? 'One part' : `${n} parts`} of this section about other members ${n === 1 ? 'is' : 'are'} not in this note.]`, marks: [] }] });
      counted = this.leftOut;
    };
    for (const b of blocks) {
      if (b.type === 'heading') tell();
      const derived = this.block(b, member);
      if (derived) out.push(derived);
    }
    tell();
    return out;
  }

  /** Whether a block is the member's to see: it concerns nobody (group content) or concerns them. */
  private belongs(block: Block, member: string): boolean {
    const who = this.labels.concerns(block);
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
    const all = pieces(b);
    const ps = all && this.ownPieces(all, member);
    if (ps !== null) {
      // A section's title stays, empty or not; a heading about other members only (a line of the
      // note made a heading) is their content, not a title (walk, 6 Dec: "JD talked about the exam
      // results…" stood in M1's chart as "Another member talked…").
      if (b.type === 'heading' && this.belongs(b, member)) return this.textBlock(b, ps, member);
      // Empty, or nothing but spaces once another member's observation is out.
      if (ps.length === 0 || (ps.length < all!.length && ps.every((p) => p.kind === 'text' && p.text.trim() === ''))) return null;
      if (!this.belongs(b, member)) {
        this.leftOut++;
        return null;
      }
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
        if (this.belongs(b, member)) return { type: b.type, attrs: b.attrs, children: this.select(b.children, member) };
        this.leftOut++;
        return null;
    }
  }

  /** A list item decided on its own text; its nested lists are filtered inside it. */
  private listItem(item: Block, member: string): DerivedBlock | null {
    const isList = (c: Block) => c.type === 'bulletList' || c.type === 'orderedList';
    const own = item.children.filter((c) => !isList(c));
    const who = new Set(own.flatMap((c) => [...this.labels.concerns(c)]));
    if (who.size > 0 && !who.has(member)) {
      this.leftOut++;
      return null;
    }
    const children = item.children.flatMap((c) => {
      if (!isList(c)) {
        const ps = pieces(c);
        if (ps === null) return this.select([c], member);
        const out = this.textBlock(c, this.ownPieces(ps, member), member);
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
}

const isListBlock = (b: DerivedBlock) => b.type === 'bulletList' || b.type === 'orderedList';

const heading = (text: string): DerivedBlock => ({ type: 'heading', attrs: { level: 2 }, inline: [{ text }] });
const paragraph = (text: string): DerivedBlock => ({ type: 'paragraph', attrs: {}, inline: [{ text }] });

/** The group part of `member`'s note as the group note stands now (see the module comment). */
export function groupPartOf(groupDoc: Y.Doc, labels: MemberLabels, member: string): DerivedBlock[] {
  return new MemberNoteDeriver(labels, othersObservations(groupDoc)).sections(readNote(sessionDoc(groupDoc).note), member);
}

/** Of the group note's observations: whether one is a tagged line about a member other than the one asked about. */
function othersObservations(groupDoc: Y.Doc): (id: string, member: string) => boolean {
  const { observations } = sessionDoc(groupDoc);
  return (id, member) => {
    const o = observations.get(id);
    return o !== undefined && o.kind === 'line' && o.member !== null && o.member !== member;
  };
}

/** The member's risk record in the group note, other members redacted as in their note; null when none. */
export function memberRiskOf(groupDoc: Y.Doc, labels: MemberLabels, member: string): RiskEntry | null {
  const risk = sessionDoc(groupDoc).risk.get(member);
  // The time the server received it, not the device's `at`: the member note has no stamp of its own
  // for it (attack, 6 Dec: a raw socket's record claiming 1 Jan 2020 read so in the member note).
  return risk ? { ...risk, assessment: labels.redact(risk.assessment, member), plan: labels.redact(risk.plan, member), at: riskReceivedAt(groupDoc, member, risk.at) } : null;
}

/** The member note's blocks and risk record, derived from the group note (see the module comment). */
export function deriveMemberNote(groupDoc: Y.Doc, input: MemberNoteInput): DerivedMemberNote {
  const labels = new MemberLabels(groupDoc, input.members);
  const deriver = new MemberNoteDeriver(labels, othersObservations(groupDoc));
  const { member } = input;
  const group = deriver.sections(readNote(sessionDoc(groupDoc).note), member);
  const observations = memberObservations(groupDoc, labels, member, input, input.authorOf);
  const blocks: DerivedBlock[] = [
    heading('Group session'),
    { type: 'paragraph', attrs: {}, inline: [{ text: `Individual note for ` }, { mention: member }, { text: `, from the group session “${labels.redact(input.groupTitle, member)}”.` }] },
    {
      type: 'bulletList',
      attrs: {},
      children: [`Date: ${input.date}`, `Duration: ${input.duration}`, `Attendance: ${input.attendance}`].map((t) => ({ type: 'listItem', attrs: {}, children: [paragraph(t)] })),
    },
    ...group,
    heading('This member’s observations'),
    ...(observations.length > 0 ? [{ type: 'bulletList', attrs: {}, children: observations }] : [paragraph('None recorded in the group session.')]),
  ];
  return { blocks, risk: memberRiskOf(groupDoc, labels, member) };
}
