/**
 * What the group note says now for a member that their note does not: a member note is made when
 * the group session ends, and a late entry or correction in the group note afterwards never reached
 * it (walk, 4 Dec: "M2 to be offered individual check-in", added to the group note's plan after
 * the end, was missing from M2's note, which was signed without a word). The sign panel lists
 * these words, so the therapists can carry over what concerns the member before signing.
 *
 * Compared as plain words between mentions, whitespace folded: formatting, mentions and where the
 * note's own edits put a line do not count; words edited since in the member note do, and are
 * listed too (the therapist can see they are there in other words).
 */
import * as Y from 'yjs';
import { NOTE_FIELD, sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { DerivedBlock } from './derivedNote';
import { groupPartOf, memberRiskOf } from './deriveMemberNote';
import { MemberLabels } from './MemberLabels';

/** Runs of words this short say nothing on their own (", and", "for"). */
const MIN_CHARS = 4;

const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The plain words of derived blocks, a stretch per run of text between mentions and breaks. */
function stretchesOf(blocks: DerivedBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.children) return stretchesOf(b.children);
    const out: string[] = [];
    let run = '';
    for (const piece of [...(b.inline ?? []), { break: true } as const]) {
      if ('text' in piece) run += piece.text;
      else {
        out.push(fold(run));
        run = '';
      }
    }
    return out.filter((t) => t.length >= MIN_CHARS);
  });
}

/** Every text of the note's document, each between mentions and breaks, folded. */
function textsOf(node: Y.XmlFragment | Y.XmlElement): string[] {
  return node.toArray().flatMap((child) => {
    if (child instanceof Y.XmlText) {
      return [fold((child.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join(''))];
    }
    return child instanceof Y.XmlElement ? textsOf(child) : [];
  });
}

/**
 * The member's risk assessment and plan as the group note records them, each where the member
 * note's own record says otherwise: one recorded in the group note after the end never reached the
 * member note, whose sign panel then asked for it again with no word of the one written (walk, 4 Dec).
 */
function riskChanges(memberDoc: Y.Doc, groupDoc: Y.Doc, labels: MemberLabels, member: string): string[] {
  const group = memberRiskOf(groupDoc, labels, member);
  if (!group) return [];
  const own = sessionDoc(memberDoc).risk.get(member);
  const parts = [['Risk assessment', group.assessment, own?.assessment], ['Safety plan', group.plan, own?.plan]] as const;
  return parts.filter(([, theirs, mine]) => fold(theirs) !== '' && fold(theirs) !== fold(mine ?? '')).map(([what, theirs]) => `${what} (the group note’s risk record): ${fold(theirs)}`);
}

/**
 * The group note's words for `member` (their note's group part, made now) that `memberDoc` lacks,
 * in order, then its risk record for the member where the member note's differs.
 */
export function groupChanges(memberDoc: Y.Doc, groupDoc: Y.Doc, members: readonly string[], member: string): string[] {
  const have = textsOf(memberDoc.getXmlFragment(NOTE_FIELD)).join('\n');
  const labels = new MemberLabels(groupDoc, members);
  // "[3 parts of this section …]" counts what was left out, which later entries about others change
  // (in brackets since 4 Dec; a member note made before holds it without).
  const leftOut = /^\[?(One part|\d+ parts) of this section about other members/;
  const words = [...new Set(stretchesOf(groupPartOf(groupDoc, labels, member)))].filter((t) => !leftOut.test(t) && !have.includes(t));
  return [...words, ...riskChanges(memberDoc, groupDoc, labels, member)];
}
