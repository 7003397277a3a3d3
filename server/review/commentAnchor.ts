import type * as Y from 'yjs';
import { clipQuote, type CommentAnchor } from '../../shared/domain/review';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { quotePassage } from './passageQuote';

const words = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Why a comment's anchor is refused: what it points to is gone, or its quote is not the note's words. */
export type AnchorRefusal = 'anchor_gone' | 'quote_mismatch';

/**
 * A new comment's anchor as it is stored, or why it is refused. It must point at something in the
 * note, and a passage's quote is the note's own words there: a commenter cannot attribute to the
 * note what it does not say (a quote that differs beyond white space is refused).
 */
export function anchorInNote(doc: Y.Doc, anchor: CommentAnchor): { anchor: CommentAnchor } | { refused: AnchorRefusal } {
  if (anchor.type === 'observation') return sessionDoc(doc).observations.has(anchor.observationId) ? { anchor } : { refused: 'anchor_gone' };
  const quote = quotePassage(doc, anchor.start, anchor.end);
  if (quote === null) return { refused: 'anchor_gone' };
  const stored = clipQuote(quote);
  if (words(stored) !== words(anchor.quote)) return { refused: 'quote_mismatch' };
  return { anchor: { ...anchor, quote: stored } };
}
