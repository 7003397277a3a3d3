import * as Y from 'yjs';
import { childProblem } from './noteSchema';
import type { StruckIndex, StruckWords } from './struckWords';

/** A stretch of text with the same formatting, written by one Yjs client in one go. */
export interface TextRun {
  text: string;
  /** Tiptap marks by name (bold, italic, observation, …) with their attributes. */
  marks: Record<string, Record<string, unknown>>;
  /** Yjs id of the first character: `client` identifies the writer, and the pair anchors comments. */
  client: number;
  clock: number;
  /** Set on another's words someone deleted (read only with a StruckIndex): who, when, whose. */
  struck?: { by: string; at: number; author: string | null };
}

export interface Block {
  type: string;
  attrs: Record<string, unknown>;
  /** Text content (paragraphs, headings). */
  runs: TextRun[];
  /** Nested blocks (lists, list items, quotes). */
  children: Block[];
  /** Yjs id of the element (absent for text and for struck words): `client` identifies its writer. */
  id?: { client: number; clock: number };
}

/**
 * Reads the note's rich text as blocks of runs, keeping each character's Yjs id. The public
 * Y.Text API (toDelta) drops ids, and authorship, late entries and comment anchors all need them,
 * so this walks the text's items the way toDelta does: formats open at a ContentFormat item and
 * last until one with the same key closes them. With `struck`, another's words someone deleted
 * are read too, where they stood (runs with `struck` set; a deleted block as a block of them).
 */
export function readNote(fragment: Y.XmlFragment | Y.XmlElement, struck?: StruckIndex): Block[] {
  return childBlocks(fragment, 'doc', struck);
}

type Child = Y.XmlElement | Y.XmlText | Y.XmlHook;

/** The live children of `type` as blocks, with the struck words of deleted ones in their places. */
function childBlocks(type: Y.XmlFragment | Y.XmlElement, name: string, struck: StruckIndex | undefined): Block[] {
  if (!struck) return type.toArray().map((c) => readNode(c, struck));
  const blocks: Block[] = [];
  for (let item = (type as unknown as { _start: Y.Item | null })._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentType) blocks.push(readNode(item.content.type as Child, struck));
    else if (item.deleted) blocks.push(...struckBlocks(struck.inBlocks(item.id.client, item.id.clock, item.id.clock + item.length), name));
  }
  return blocks;
}

/** A deleted block's struck words as what its parent holds: text, paragraphs, or list items of them. */
function struckBlocks(entries: StruckWords[], parent: string): Block[] {
  const lines = new Map<string, StruckWords[]>();
  for (const e of entries) {
    const key = `${e.block!.client}:${e.block!.clock}:${e.line}`;
    const line = lines.get(key);
    if (line) line.push(e);
    else lines.set(key, [e]);
  }
  return [...lines.values()].map((line) => {
    const runs = line.map((e) => struckRun(e));
    if (childProblem(parent, '#text') === null) return { type: 'text', attrs: {}, runs, children: [] };
    const paragraph: Block = { type: 'paragraph', attrs: {}, runs, children: [] };
    return childProblem(parent, 'paragraph') === null ? paragraph : { type: 'listItem', attrs: {}, runs: [], children: [paragraph] };
  });
}

const struckRun = (e: StruckWords, from = e.clock, to = e.clock + e.text.length): TextRun => ({
  text: e.text.slice(from - e.clock, to - e.clock),
  marks: {},
  client: e.client,
  clock: from,
  struck: { by: e.by, at: e.at, author: e.author },
});

function readNode(node: Child, struck: StruckIndex | undefined): Block {
  if (node instanceof Y.XmlText) return { type: 'text', attrs: {}, runs: readRuns(node, struck), children: [] };
  if (!(node instanceof Y.XmlElement)) return { type: 'unknown', attrs: {}, runs: [], children: [] };
  const children = node.toArray();
  const textOnly = children.every((c) => c instanceof Y.XmlText);
  const blocks = textOnly ? [] : childBlocks(node, node.nodeName, struck);
  const { client, clock } = node._item!.id;
  return {
    type: node.nodeName,
    id: { client, clock },
    attrs: node.getAttributes() as Record<string, unknown>,
    runs: textOnly ? childBlocks(node, node.nodeName, struck).flatMap((b) => b.runs) : [],
    children: blocks,
  };
}

function readRuns(text: Y.XmlText, struck: StruckIndex | undefined): TextRun[] {
  const runs: TextRun[] = [];
  const open: Record<string, Record<string, unknown>> = {};
  // Internal linked list of the text's items; stable across Yjs 13 and what y-prosemirror relies on.
  for (let item = (text as unknown as { _start: Y.Item | null })._start; item !== null; item = item.right) {
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (item.deleted) continue;
      if (content.value === null) delete open[content.key];
      else open[content.key] = (content.value ?? {}) as Record<string, unknown>;
      continue;
    }
    // Not by content: Yjs replaces a deleted item's content with a placeholder that keeps only its length.
    if (item.deleted && struck) {
      const { client, clock } = item.id;
      const end = clock + item.length;
      for (const e of struck.inLine(client, clock, end)) runs.push(struckRun(e, Math.max(clock, e.clock), Math.min(end, e.clock + e.text.length)));
      continue;
    }
    if (item.deleted || !(content instanceof Y.ContentString)) continue;
    const last = runs.at(-1);
    const marks = { ...open };
    if (last && !last.struck && last.client === item.id.client && last.clock + last.text.length === item.id.clock && sameMarks(last.marks, marks)) {
      last.text += content.str;
    } else {
      runs.push({ text: content.str, marks, client: item.id.client, clock: item.id.clock });
    }
  }
  return runs;
}

function sameMarks(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Plain text of blocks, one block per line (list items and quotes flattened). */
export function blocksToText(blocks: Block[]): string {
  return blocks.map((b) => (b.children.length > 0 ? blocksToText(b.children) : b.runs.map((r) => r.text).join(''))).join('\n');
}
