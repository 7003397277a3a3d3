/**
 * From a selection in the rendered note to a comment anchor: the Yjs ids of its first and last
 * characters (each run's element carries its client and clock) and the words it covers.
 */
import { clipQuote } from '../../../shared/domain/review';
import type { YId } from './noteIndex';

export interface PassageSelection {
  start: YId;
  end: YId;
  quote: string;
}

/** Characters from the start of `el` to (node, offset), counting only the run's own text. */
function offsetWithin(el: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(el, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

export function passageFromSelection(root: HTMLElement, selection: Selection | null): PassageSelection | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.commonAncestorContainer)) return null;
  let start: YId | null = null;
  let end: YId | null = null;
  let quote = '';
  let block: Element | null = null;
  for (const el of root.querySelectorAll<HTMLElement>('[data-client][data-clock]')) {
    if (!range.intersectsNode(el)) continue;
    const text = el.textContent ?? '';
    const from = el.contains(range.startContainer) ? offsetWithin(el, range.startContainer, range.startOffset) : 0;
    const to = el.contains(range.endContainer) ? offsetWithin(el, range.endContainer, range.endOffset) : text.length;
    if (to <= from) continue;
    const client = Number(el.dataset.client);
    const clock = Number(el.dataset.clock);
    start ??= { client, clock: clock + from };
    end = { client, clock: clock + to - 1 };
    // A new paragraph, heading or list item starts a new line of the quote.
    const here = el.closest('p, h1, h2, h3, h4, h5, h6, li, pre, blockquote, div');
    if (block && here !== block) quote += '\n';
    block = here;
    quote += text.slice(from, to);
  }
  if (!start || !end || !quote.trim()) return null;
  return { start, end, quote: clipQuote(quote) };
}
