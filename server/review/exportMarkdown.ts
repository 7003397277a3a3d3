import type { RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { ReviewView } from '../../shared/domain/review';
import { authorLabels, authorshipLegend, labelPassages, unwrittenLabel } from './authorLabels';
import { tidyWhitespace } from './markdownWhitespace';
import { reviewDocument, type ExportOptions } from './reviewDocument';

/**
 * The record as GitHub-flavoured Markdown (footnotes for observations). The serializer escapes
 * every text node for GFM, so what people typed reads back as the same text in the same place.
 * Authorship reads as in the PDF: each passage starts with its author's initials ("[AT] "),
 * explained in a legend before the note (walk, 5 Dec: the Markdown said nothing of who wrote what).
 */
export function exportMarkdown(review: ReviewView, options: ExportOptions): string {
  const labels = authorLabels(review.authors);
  const tree = labelPassages(reviewDocument(review, options), labels, unwrittenLabel(review.groupTimes !== null));
  const legend: RootContent[] = [
    { type: 'paragraph', children: [{ type: 'strong', children: [{ type: 'text', value: 'How to read authorship' }] }] },
    {
      type: 'list',
      spread: false,
      children: authorshipLegend(review, labels).map((line) => ({
        type: 'listItem',
        spread: false,
        children: [{ type: 'paragraph', children: [{ type: 'strong', children: [{ type: 'text', value: line.label.trimEnd() }] }, { type: 'text', value: ` ${line.meaning}` }] }],
      })),
    },
  ];
  const firstSection = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 2);
  const children = firstSection < 0 ? tree.children : [...tree.children.slice(0, firstSection), ...legend, ...tree.children.slice(firstSection)];
  return toMarkdown(tidyWhitespace({ ...tree, children }), { extensions: [gfmToMarkdown()], bullet: '-', emphasis: '_', listItemIndent: 'one' });
}
