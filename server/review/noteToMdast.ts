/**
 * The note's blocks as a Markdown syntax tree (mdast). Every word a person wrote becomes a text (or
 * inline code) node, so whatever the serializer does, it stays text where it was written: a "#" or
 * a line break typed into the note cannot start a heading or a list in the export.
 */
import type { BlockContent, PhrasingContent, RootContent } from 'mdast';
import { formattedLabels, lateEntryLabels, struckLabels, type ReviewBlock, type ReviewRun } from '../../shared/domain/review';
import { labelChip } from './labelChip';
import { numberingOf, type ListNumbering } from '../../shared/note/noteSchema';
import { inlineItems, type InlineItem } from './noteInline';

declare module 'mdast' {
  interface Data {
    /** Account that wrote this text (null: the session template). The PDF labels passages by it. */
    author?: string | null;
    /** How a numbered list numbers its items (null: 1, 2, 3). Markdown has no way to say it; the PDF numbers by it. */
    numbering?: ListNumbering | null;
  }
}

/** Levels the export's own title and sections use; the note's headings sit below them. */
const EXPORT_HEADING_LEVELS = 2;

export interface NoteContext {
  /** Footnote label of each observation ("o1"), in the order the observations section lists them. */
  footnotes: ReadonlyMap<string, string>;
  /** Label for a late passage: who wrote it, from when to when (ISO). */
  lateLabel(author: string | null, from: string, to: string): string;
  /** Label after another's words someone deleted: who deleted them, when (ISO). */
  struckLabel(by: string, at: string): string;
  /**
   * Label after another's words someone formatted: who, when (ISO), what they did ("struck
   * through"), and which words, when the text does not show it (`words`: a part of a line moved
   * into a quote or heading).
   */
  formattedLabel(by: string, at: string, change: string, words?: string): string;
}

/** The note's blocks as mdast block nodes, to stand under the export's "Note" section. */
export function noteToMdast(blocks: ReviewBlock[], ctx: NoteContext): RootContent[] {
  return blocks.flatMap((b) => blockNodes(b, ctx));
}

function blockNodes(block: ReviewBlock, ctx: NoteContext): RootContent[] {
  const items = inlineItems(block);
  if (items !== null) {
    if (items.length === 0) return [];
    if (block.type === 'heading') {
      const depth = Math.min(6, Math.max(1, Number(block.attrs.level) || 1) + EXPORT_HEADING_LEVELS) as 1 | 2 | 3 | 4 | 5 | 6;
      return [{ type: 'heading', depth, children: phrasing(items, ctx, false) }];
    }
    // A code block's text stays verbatim as code; its late labels and footnotes still follow it.
    return [{ type: 'paragraph', children: phrasing(items, ctx, block.type === 'codeBlock') }];
  }
  const children = block.children.flatMap((c) => blockNodes(c, ctx));
  switch (block.type) {
    case 'bulletList':
    case 'orderedList':
      return [
        {
          type: 'list',
          ordered: block.type === 'orderedList',
          start: typeof block.attrs.start === 'number' ? block.attrs.start : null,
          spread: false,
          data: { numbering: numberingOf(block.attrs.type) },
          children: block.children.map((item) => ({ type: 'listItem', spread: false, children: blockNodes(item, ctx) as BlockContent[] })),
        },
      ];
    case 'blockquote':
      return [{ type: 'blockquote', children: children as BlockContent[] }];
    case 'horizontalRule':
      return [{ type: 'thematicBreak' }];
    default:
      return children;
  }
}

/**
 * A text block's runs with their marks, a footnote reference where an observation's words end,
 * and one label after each late entry (lateEntryLabels).
 */
function phrasing(items: InlineItem[], ctx: NoteContext, asCode: boolean): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  const runs = items.flatMap((i) => (i.kind === 'run' ? [i.run] : []));
  const struck = struckLabels(runs);
  const formatted = formattedLabels(runs);
  const late = lateEntryLabels(runs);
  // The next run after each item, found in one pass from the end (a search from every item was quadratic).
  const nextRuns: (ReviewRun | undefined)[] = [];
  for (let i = items.length - 1, next: ReviewRun | undefined; i >= 0; i--) {
    nextRuns[i] = next;
    const item = items[i]!;
    if (item.kind === 'run') next = item.run;
  }
  items.forEach((item, i) => {
    if (item.kind === 'break') {
      out.push({ type: 'break' });
      return;
    }
    const { run } = item;
    const nodes = runNodes(run, asCode);
    const next = nextRuns[i];
    if (run.struck) {
      // Struck through where they stood, then who deleted them, before the spaces after them.
      out.push(...nodes);
      const by = struck.get(run);
      if (by) labelBeforeSpaces(out, ctx.struckLabel(by.by, by.at), next);
      return;
    }
    out.push(...nodes);
    for (const change of formatted.get(run) ?? []) labelBeforeSpaces(out, ctx.formattedLabel(change.by, change.at, change.change, change.quoted), next);
    for (const id of run.observationIds) {
      const label = ctx.footnotes.get(id);
      if (label && !next?.observationIds.includes(id)) out.push({ type: 'footnoteReference', identifier: label, label });
    }
    const entry = late.get(run);
    if (entry) out.push(...label(ctx.lateLabel(entry.by, entry.from, entry.to), next));
  });
  return mergeAdjacent(out);
}

/** A label after the words just added to `out`, before the spaces they end with (the next words' spaces). */
function labelBeforeSpaces(out: PhrasingContent[], value: string, next: ReviewRun | undefined): void {
  const spaces: PhrasingContent[] = [];
  while (out.at(-1)?.type === 'text' && out.at(-1)!.data?.author !== undefined && /^\s*$/.test((out.at(-1) as { value: string }).value)) spaces.unshift(out.pop()!);
  out.push(...label(value, spaces.length > 0 ? undefined : next), ...spaces);
}

/**
 * A label the export adds after words of the note (" late entry …" as a chip, labelChip.ts), and a
 * space from `next`, the words that follow it, when they start with a letter, so they do not run
 * into it.
 */
const label = (value: string, next?: ReviewRun): PhrasingContent[] => [
  { type: 'text', value: ' ' },
  labelChip(value),
  ...(next && /^\S/.test(next.text) ? [{ type: 'text' as const, value: ' ' }] : []),
];

/** One run as nodes: its text inside its marks, with edge spaces outside them ("*a *b" would not read back). */
function runNodes(run: ReviewRun, asCode: boolean): PhrasingContent[] {
  const data = { author: run.authorId };
  if (asCode || run.marks.includes('code')) return [{ type: 'inlineCode', value: run.text, data }];
  // trim's whitespace is \s's; a regular expression for the trailing spaces was quadratic in a long run of spaces inside the words.
  const rest = run.text.trimStart();
  const lead = run.text.slice(0, run.text.length - rest.length);
  const core = rest.trimEnd();
  const trail = rest.slice(core.length);
  let node: PhrasingContent = { type: 'text', value: core, data };
  if (run.marks.includes('strike') || run.struck) node = { type: 'delete', children: [node], data };
  if (run.marks.includes('italic')) node = { type: 'emphasis', children: [node], data };
  if (run.marks.includes('bold')) node = { type: 'strong', children: [node], data };
  if (node.type === 'text' || core === '') return [{ type: 'text', value: run.text, data }];
  const space = (value: string): PhrasingContent[] => (value ? [{ type: 'text', value, data }] : []);
  return [...space(lead), node, ...space(trail)];
}

/** Joins neighbours of one kind by one author: runs split only by Yjs ids read as one stretch of text. */
function mergeAdjacent(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  appendMerged(out, nodes);
  return out;
}

/**
 * Appends `nodes` to `out` (already merged), joining each with the last node where they are one
 * stretch. Only the boundary is merged again: re-merging a container's whole children at every
 * join was quadratic (a paragraph of 20,000 one-letter runs took 52 s to export; attack, 1 Dec).
 */
function appendMerged(out: PhrasingContent[], nodes: PhrasingContent[]): void {
  for (const node of nodes) {
    const last = out.at(-1);
    const sameAuthor = last?.data !== undefined && node.data !== undefined && last.data.author === node.data.author;
    if (sameAuthor && last.type === node.type) {
      if (last.type === 'text' || last.type === 'inlineCode') {
        last.value += (node as typeof last).value;
        continue;
      }
      if (last.type === 'strong' || last.type === 'emphasis' || last.type === 'delete') {
        appendMerged(last.children, (node as typeof last).children);
        continue;
      }
    }
    out.push(node);
  }
}
