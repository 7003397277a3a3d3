import type { RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { ReviewView } from '../../shared/domain/review';
import { authorLabels, authorshipLegend, labelPassages, unwrittenLabel, type LegendLine } from './authorLabels';
import { labelChip, labelChipToMarkdown } from './labelChip';
import { tidyWhitespace } from './markdownWhitespace';
import { reviewDocument, type ExportOptions } from './reviewDocument';

/** How labels and observations look in the Markdown, for the legend. */
const LOOKS: { label: string; observation: LegendLine } = {
  label: 'are drawn by Tandem in a box like a key where this file is rendered (in the file: between kbd tags, which typed text cannot write)',
  observation: { label: 'Footnote references', chip: false, meaning: '(a superscript number where this file is rendered, [^o1] in the file) refer to the observations under Observations.' },
};

/**
 * The record as GitHub-flavoured Markdown (footnotes for observations). The serializer escapes
 * every text node for GFM, so what people typed reads back as the same text in the same place.
 * Authorship reads as in the PDF: each passage starts with its author's initials as a label
 * (`<kbd>AT</kbd>`, labelChip.ts), explained in a legend before the note (walk, 5 Dec: the Markdown
 * said nothing of who wrote what).
 */
export function exportMarkdown(review: ReviewView, options: ExportOptions): string {
  const labels = authorLabels(review.authors);
  const tree = labelPassages(reviewDocument(review, options), labels, unwrittenLabel(review.groupTimes !== null));
  const legend: RootContent[] = [
    { type: 'paragraph', children: [{ type: 'strong', children: [{ type: 'text', value: 'How to read authorship' }] }] },
    {
      type: 'list',
      spread: false,
      children: authorshipLegend(review, labels, LOOKS).map((line) => ({
        type: 'listItem',
        spread: false,
        children: [{ type: 'paragraph', children: [line.chip ? labelChip(line.label, line.author) : { type: 'strong', children: [{ type: 'text', value: line.label }] }, { type: 'text', value: ` ${line.meaning}` }] }],
      })),
    },
  ];
  const firstSection = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 2);
  const children = firstSection < 0 ? tree.children : [...tree.children.slice(0, firstSection), ...legend, ...tree.children.slice(firstSection)];
  return toMarkdown(tidyWhitespace({ ...tree, children }), { extensions: [gfmToMarkdown(), labelChipToMarkdown], bullet: '-', emphasis: '_', listItemIndent: 'one' });
}
