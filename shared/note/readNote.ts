import * as Y from 'yjs';

/** A stretch of text with the same formatting, written by one Yjs client in one go. */
export interface TextRun {
  text: string;
  /** Tiptap marks by name (bold, italic, observation, …) with their attributes. */
  marks: Record<string, Record<string, unknown>>;
  /** Yjs id of the first character: `client` identifies the writer, and the pair anchors comments. */
  client: number;
  clock: number;
}

export interface Block {
  type: string;
  attrs: Record<string, unknown>;
  /** Text content (paragraphs, headings). */
  runs: TextRun[];
  /** Nested blocks (lists, list items, quotes). */
  children: Block[];
}

/**
 * Reads the note's rich text as blocks of runs, keeping each character's Yjs id. The public
 * Y.Text API (toDelta) drops ids, and authorship, late entries and comment anchors all need them,
 * so this walks the text's items the way toDelta does: formats open at a ContentFormat item and
 * last until one with the same key closes them.
 */
export function readNote(fragment: Y.XmlFragment | Y.XmlElement): Block[] {
  return fragment.toArray().map(readNode);
}

function readNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook): Block {
  if (node instanceof Y.XmlText) return { type: 'text', attrs: {}, runs: readRuns(node), children: [] };
  if (!(node instanceof Y.XmlElement)) return { type: 'unknown', attrs: {}, runs: [], children: [] };
  const children = node.toArray();
  const textOnly = children.every((c) => c instanceof Y.XmlText);
  return {
    type: node.nodeName,
    attrs: node.getAttributes() as Record<string, unknown>,
    runs: textOnly ? children.flatMap((c) => readRuns(c as Y.XmlText)) : [],
    children: textOnly ? [] : children.map(readNode),
  };
}

function readRuns(text: Y.XmlText): TextRun[] {
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
    if (item.deleted || !(content instanceof Y.ContentString)) continue;
    const last = runs.at(-1);
    const marks = { ...open };
    if (last && last.client === item.id.client && last.clock + last.text.length === item.id.clock && sameMarks(last.marks, marks)) {
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
