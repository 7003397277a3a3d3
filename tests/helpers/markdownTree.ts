import type { Nodes, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';

/** Reads an export back as a GitHub-flavoured renderer would. */
export const parseMarkdown = (md: string): Root => fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

/**
 * Text as a reader sees it: a hard break as a newline, a footnote reference as [^id], a label as
 * the export writes it (`<kbd>AT</kbd>`: its tags are html nodes once the Markdown is read back).
 */
export function plain(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'html') return node.value;
  if (node.type === 'labelChip') return `<kbd>${node.value}</kbd>`;
  if (node.type === 'break') return '\n';
  if (node.type === 'footnoteReference') return `[^${node.identifier}]`;
  return 'children' in node ? node.children.map(plain).join('') : '';
}

export function* walk(node: Nodes): Generator<Nodes> {
  yield node;
  if ('children' in node) for (const child of node.children) yield* walk(child);
}

export interface Section {
  heading: string;
  depth: number;
  body: RootContent[];
}

/** The export's own parts: the title, then each level-2 heading, with the nodes under each. */
export function sections(root: Root): Section[] {
  const out: Section[] = [];
  for (const node of root.children) {
    if (node.type === 'heading' && node.depth <= 2) out.push({ heading: plain(node), depth: node.depth, body: [] });
    else out.at(-1)?.body.push(node);
  }
  return out;
}

/** The nodes under one of the export's level-2 sections ("Note", "Signatures", …). */
export function section(root: Root, name: string): RootContent[] {
  const found = sections(root).find((s) => s.depth === 2 && s.heading === name);
  if (!found) throw new Error(`the export has no "${name}" section`);
  return found.body;
}

/** The items of a list node (none for anything else). */
export const listItems = (node: RootContent | undefined) => (node?.type === 'list' ? node.children : []);

/** A letter of a rendered export and the elements it stands in, outermost first (["p", "strong"]). */
export interface RenderedLetter {
  letter: string;
  path: string[];
}

/**
 * The Markdown as a GitHub-flavoured renderer shows it, letter by letter: HTML from micromark
 * (CommonMark and GFM, raw HTML passed as GitHub passes <kbd>), read back by parse5, the HTML
 * parser browsers' rules are written for.
 */
export function renderedLetters(md: string): RenderedLetter[] {
  const html = micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
  const out: RenderedLetter[] = [];
  const visit = (node: DefaultTreeAdapterTypes.Node, path: string[]): void => {
    if (node.nodeName === '#text') for (const letter of (node as DefaultTreeAdapterTypes.TextNode).value) out.push({ letter, path });
    const inner = node.nodeName.startsWith('#') ? path : [...path, node.nodeName];
    if ('childNodes' in node) for (const child of node.childNodes) visit(child, inner);
  };
  visit(parseFragment(html), []);
  return out;
}
