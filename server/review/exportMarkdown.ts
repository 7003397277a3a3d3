import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { ReviewView } from '../../shared/domain/review';
import { tidyWhitespace } from './markdownWhitespace';
import { reviewDocument, type ExportOptions } from './reviewDocument';

/**
 * The record as GitHub-flavoured Markdown (footnotes for observations). The serializer escapes
 * every text node for GFM, so what people typed reads back as the same text in the same place.
 */
export function exportMarkdown(review: ReviewView, options: ExportOptions): string {
  return toMarkdown(tidyWhitespace(reviewDocument(review, options)), { extensions: [gfmToMarkdown()], bullet: '-', emphasis: '_', listItemIndent: 'one' });
}
