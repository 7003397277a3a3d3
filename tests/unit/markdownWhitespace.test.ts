import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { describe, expect, it } from 'vitest';
import { tidyWhitespace } from '../../server/review/markdownWhitespace';

/** A node's text, marks dropped. */
const toString = (node: Nodes): string => ('value' in node ? node.value : 'children' in node ? node.children.map((c) => toString(c as Nodes)).join('') : '');
const write = (tree: Root) => toMarkdown(tree, { extensions: [gfmToMarkdown()], emphasis: '_' });

/** The note as the editor leaves it: a space typed after a bold word is inside the bold mark. */
const note = (): Root => ({
  type: 'root',
  children: [
    { type: 'paragraph', children: [{ type: 'text', value: '  Mood ' }, { type: 'strong', children: [{ type: 'text', value: 'low ' }] }, { type: 'text', value: 'today  ' }] },
    { type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: ' quiet ' }, { type: 'strong', children: [{ type: 'text', value: 'then angry ' }] }] }, { type: 'text', value: 'after' }] },
    { type: 'heading', depth: 2, children: [{ type: 'text', value: ' Plan ' }] },
    { type: 'paragraph', children: [{ type: 'text', value: 'a' }, { type: 'strong', children: [{ type: 'text', value: ' ' }] }, { type: 'text', value: 'b' }] },
  ],
});

describe('whitespace at the edges of marks and blocks in the Markdown export', () => {
  it('writes no character references for spaces the editor left inside a mark or at a block’s edge', () => {
    const before = write(note());
    expect(before).toContain('&#x');
    const after = write(tidyWhitespace(note()));
    expect(after).not.toContain('&#x');
    expect(after).toBe('Mood **low** today\n\n_quiet **then angry**_ after\n\n## Plan\n\na b\n');
  });

  it('reads back as the same words in the same marks', () => {
    const read = fromMarkdown(write(tidyWhitespace(note())));
    expect(read.children.map((block) => toString(block))).toEqual(['Mood low today', 'quiet then angry after', 'Plan', 'a b']);
    const strong = read.children.flatMap((block): Nodes[] => ('children' in block ? (block.children as Nodes[]) : [])).filter((n) => n.type === 'strong');
    expect(strong.map((n) => toString(n))).toEqual(['low']);
  });
});
