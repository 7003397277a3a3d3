import type { Nodes, Parent, PhrasingContent, Root, Text } from 'mdast';

/** Marks whose edges Markdown cannot open or close on whitespace (CommonMark's flanking rules). */
const MARKS = new Set(['strong', 'emphasis', 'delete']);
/** Blocks whose edges Markdown strips whitespace from when it reads them. */
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

const isParent = (node: Nodes): node is Nodes & Parent => 'children' in node;

/**
 * Moves whitespace the editor left inside a bold or italic run to just outside it, and drops it
 * from the edges of a paragraph, heading or table cell, before the tree is written out. A space
 * typed at the end of a bold word is inside the mark in the editor; written as it is, the
 * serializer must escape it (`**word&#x20;**&#x6E;ext`), and a clinician reading the exported file
 * sees character references instead of words. Neither change alters what a reader of the rendered
 * Markdown sees: CommonMark drops a block's edge whitespace anyway. Changes `tree` in place.
 */
export function tidyWhitespace(tree: Root): Root {
  visit(tree);
  return tree;
}

function visit(node: Nodes): void {
  if (!isParent(node)) return;
  for (const child of node.children) visit(child as Nodes);
  // Inner marks first: their whitespace comes out to the edges of the mark around them, then out of it.
  const children = node.children as PhrasingContent[];
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (!MARKS.has(child.type) || !('children' in child)) continue;
    const lead = takeEdge(child.children, 'start');
    const trail = takeEdge(child.children, 'end');
    const replacement: PhrasingContent[] = [
      ...(lead ? [{ type: 'text' as const, value: lead }] : []),
      ...(child.children.length > 0 ? [child] : []),
      ...(trail ? [{ type: 'text' as const, value: trail }] : []),
    ];
    children.splice(i, 1, ...replacement);
    i += replacement.length - 1;
  }
  if (BLOCKS.has(node.type)) {
    takeEdge(children, 'start');
    takeEdge(children, 'end');
  }
}

/** Removes the whitespace at one edge of a run of phrasing content (its outer text node) and returns it. */
function takeEdge(children: PhrasingContent[], edge: 'start' | 'end'): string {
  const index = edge === 'start' ? 0 : children.length - 1;
  const first = children[index];
  if (first?.type !== 'text') return '';
  const text = first as Text;
  // trimStart/trimEnd, not /\s+$/: that search is quadratic in a long run of spaces inside the text.
  const kept = edge === 'start' ? text.value.trimStart() : text.value.trimEnd();
  const taken = edge === 'start' ? text.value.slice(0, text.value.length - kept.length) : text.value.slice(kept.length);
  if (!taken) return '';
  text.value = kept;
  if (text.value === '') children.splice(index, 1);
  return taken;
}
