/**
 * Authorship that survives a greyscale printer: each passage of the note starts with a label of
 * its author's initials (AT), so who wrote what never rests on colour alone. Labels are chips
 * (labelChip.ts), which no typed text can imitate.
 */
import type { Nodes, PhrasingContent, Root } from 'mdast';
import type { ReviewPerson, ReviewView } from '../../shared/domain/review';
import { labelChip } from './labelChip';

/** Marks text that came with the session template when it follows a therapist's words. */
export const TEMPLATE_LABEL = 'template';
/** In a member note, marks the words derived from its group note (the server wrote them there, not a template: walk, 4 Dec). */
export const GROUP_NOTE_LABEL = 'group note';

/** The label of words no therapist wrote in this record. */
export const unwrittenLabel = (isMemberNote: boolean): string => (isMemberNote ? GROUP_NOTE_LABEL : TEMPLATE_LABEL);

/** Initials per author, unique within the record: "Alex Tan" and "Ana Torres" become AT and AT2. */
export function authorLabels(authors: ReviewPerson[]): Map<string, string> {
  const taken = new Set<string>([TEMPLATE_LABEL, GROUP_NOTE_LABEL]);
  return new Map(
    authors.map((a) => {
      const initials = (a.name.match(/(?<![\p{L}\p{N}])[\p{L}\p{N}]/gu) ?? []).slice(0, 3).join('').toUpperCase() || 'A';
      let label = initials;
      for (let n = 2; taken.has(label); n++) label = `${initials}${n}`;
      taken.add(label);
      return [a.accountId, label];
    }),
  );
}

/**
 * The tree with a label where the author changes inside a paragraph or heading of the note. Text
 * from the template at the start of a block (the template's headings) stays unlabelled; inside a
 * therapist's block it is labelled as the template's.
 */
export function labelPassages(root: Root, labels: ReadonlyMap<string, string>, unwritten = TEMPLATE_LABEL): Root {
  const visit = <T extends Nodes>(node: T): T => {
    if (node.type === 'paragraph' || node.type === 'heading') return { ...node, children: labelled(node.children, labels, unwritten) };
    return 'children' in node ? { ...node, children: node.children.map(visit) } : node;
  };
  return visit(root);
}

function labelled(children: PhrasingContent[], labels: ReadonlyMap<string, string>, unwritten: string): PhrasingContent[] {
  let current: string | null | undefined;
  return children.flatMap((node) => {
    const author = node.data?.author;
    // A lone space is nobody's passage: both typing at one spot can leave one of hers among his words (walk, 1 Dec).
    const blank = node.type === 'text' && /^\s*$/.test(node.value);
    if (author === undefined || author === current || (blank && current !== undefined)) return [node];
    const starts = current === undefined && author === null;
    current = author;
    if (starts) return [node];
    const label: PhrasingContent[] = [labelChip(author === null ? unwritten : (labels.get(author) ?? '?'), author), { type: 'text', value: ' ' }];
    // The label goes right before the first word: "M2 (BT) arrived", not "M2(BT)  arrived".
    const space = node.type === 'text' ? /^\s+/.exec(node.value)?.[0] : undefined;
    if (node.type !== 'text' || space === undefined) return [...label, node];
    return [{ ...node, value: space }, ...label, { ...node, value: node.value.slice(space.length) }];
  });
}

/** One line of the legend: `label` drawn as a label is (`chip`) or in bold, then `meaning`; `author` (an account id) when it stands for a person. */
export interface LegendLine {
  label: string;
  chip: boolean;
  meaning: string;
  author?: string;
}

/**
 * How to read authorship in an export, as the PDF and the Markdown both print it before the note.
 * `looks` says what a label looks like in that export and `observation` how an observation is
 * referred to: the reader must be able to tell a label from brackets a therapist typed.
 */
export function authorshipLegend(review: ReviewView, labels: ReadonlyMap<string, string>, looks: { label: string; observation: LegendLine }): LegendLine[] {
  const member = review.groupTimes !== null;
  const source = member ? 'was derived from the group note' : 'came with the session template';
  const chip = (label: string, meaning: string): LegendLine => ({ label, chip: true, meaning });
  return [
    ...review.authors.map((a) => ({ label: labels.get(a.accountId) ?? '?', chip: true, meaning: a.name, author: a.accountId })),
    { label: 'Unlabelled', chip: false, meaning: `text at the start of a paragraph or heading ${source}.` },
    chip(unwrittenLabel(member), member ? 'marks words derived from the group note after a therapist’s words in the same paragraph.' : 'marks template text after a therapist’s words in the same paragraph.'),
    chip('late entry …', 'follows a passage written after the session ended, with who wrote it and when.'),
    chip('deleted by …', 'follows words the other therapist deleted (struck through), with who and when.'),
    chip('made bold by …', 'and the like follow words the other therapist restyled, with who and when.'),
    ...(review.observations.some((o) => o.alsoWrittenBy.length > 0) ? [chip('with words by …', 'follows an observation whose quoted words include the other therapist’s.')] : []),
    ...(review.observations.some((o) => o.extentChanged) ? [chip('what it quotes changed by …', 'follows an observation whose words the other therapist changed (joined a line into it, split it, wrote inside it), with who and when; then what it quoted as tagged.')] : []),
    looks.observation,
    { label: 'Labels', chip: false, meaning: `${looks.label}; brackets, bold or code in the note were typed.` },
  ];
}
