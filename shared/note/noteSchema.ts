import { z } from 'zod';
import { memberLabelSchema } from '../domain/observation';

/**
 * What the note's rich text may hold, as y-prosemirror stores Tiptap's schema in Yjs: nodes are
 * `Y.XmlElement`s named after their node type with the node's attributes as element attributes;
 * text lives in `Y.XmlText` with marks as formatting attributes (key = mark name, value = the
 * mark's attributes, or null where a mark ends). The server checks every element, attribute and
 * mark a client writes against this, so nothing reaches the editor, the review or the export that
 * they do not render (a heading of level −5 once made the Markdown export fail).
 *
 * The node and mark names are those of the editor's extensions (client/editor/extensions.ts:
 * StarterKit without undo and trailing node, the observation mark and the member mention); a unit test compares
 * this list with the schema Tiptap builds from them.
 */

const short = (max: number) => z.string().max(max);
const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();

/** Links open only web and mail addresses: no `javascript:` or `data:` in a clinical record. */
export const SAFE_LINK = /^(https?:\/\/|mailto:|tel:)/i;

/** How a numbered list may number its items (its `type`, as HTML's <ol type>; unset: 1, 2, 3). */
export const LIST_NUMBERINGS = ['1', 'a', 'A', 'i', 'I'] as const;
export type ListNumbering = (typeof LIST_NUMBERINGS)[number];

/** A list's `type` attribute as a numbering, or null for none set and anything unknown. */
export function numberingOf(type: unknown): ListNumbering | null {
  return LIST_NUMBERINGS.find((n) => n === type) ?? null;
}

/** Attributes of each node type, each with what its value may be. Nodes without attributes map to {}. */
export const NOTE_NODES: Readonly<Record<string, Readonly<Record<string, z.ZodType>>>> = {
  paragraph: {},
  blockquote: {},
  bulletList: {},
  listItem: {},
  horizontalRule: {},
  hardBreak: {},
  heading: { level: z.number().int().min(1).max(6) },
  orderedList: { start: z.number().int().min(0).max(100_000), type: nullable(z.enum(LIST_NUMBERINGS)) },
  codeBlock: { language: nullable(short(32).regex(/^[A-Za-z0-9_+#.-]*$/)) },
  // A group member the text concerns: the label only (which labels the session has is the
  // mention guard's question; a free-text display label could carry a name, so there is none).
  mention: { id: memberLabelSchema },
};

const BLOCK = ['paragraph', 'heading', 'blockquote', 'bulletList', 'orderedList', 'codeBlock', 'horizontalRule'] as const;
const INLINE = ['#text', 'hardBreak', 'mention'] as const;

/**
 * Which nodes each node may hold (`doc`: the note itself; `#text`: a run of text, a `Y.XmlText`):
 * the editor schema's content expressions, order and counts aside (a unit test compares them).
 * Text inside a horizontal rule or a paragraph inside a paragraph is not a note the editor can
 * show, yet the review and the export would.
 */
export const NOTE_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  doc: BLOCK,
  paragraph: INLINE,
  heading: INLINE,
  blockquote: BLOCK,
  bulletList: ['listItem'],
  orderedList: ['listItem'],
  listItem: BLOCK,
  codeBlock: ['#text'],
  horizontalRule: [],
  hardBreak: [],
  mention: [],
};

/**
 * `table[key]` when the table itself defines `key`. The names come from a client: read as plain
 * properties, "constructor" or "__proto__" found Object's own and the judging threw, which closed
 * the writer's socket as if its update were malformed (attack, 6 Dec).
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Why `child` (a node name, or `#text`) may not be inside `parent` (`doc`: the note), or null. */
export function childProblem(parent: string, child: string): string | null {
  if (ownEntry(NOTE_CHILDREN, parent)?.includes(child)) return null;
  return `${child === '#text' ? 'text' : `"${child}"`} cannot be inside ${parent === 'doc' ? 'the note' : `"${parent}"`}`;
}

/** Attributes of each mark, as the value of its formatting attribute. */
export const NOTE_MARKS: Readonly<Record<string, z.ZodType>> = {
  bold: z.object({}).strict(),
  italic: z.object({}).strict(),
  strike: z.object({}).strict(),
  underline: z.object({}).strict(),
  code: z.object({}).strict(),
  link: z
    .object({
      href: short(2048).regex(SAFE_LINK, 'links must be http(s), mailto or tel addresses'),
      target: nullable(z.literal('_blank')),
      rel: nullable(short(64).regex(/^[a-z ]*$/)),
      // No class or title: with them a link could pass for an observation or a late entry (attack, 3 Dec).
      class: z.null().optional(),
      title: z.null().optional(),
    })
    .strict(),
  observation: z.object({ id: z.uuid().nullable() }).strict(),
};

/** Why a node attribute is refused, or null when it is fine. `value` undefined means removed. */
export function nodeAttributeProblem(node: string, attribute: string, value: unknown): string | null {
  const attrs = ownEntry(NOTE_NODES, node);
  if (!attrs) return `"${node}" is not a node the note can hold`;
  const schema = ownEntry(attrs, attribute);
  if (!schema) return `"${node}" has no attribute "${attribute}"`;
  if (value === undefined) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? null : `"${node}" attribute "${attribute}": ${parsed.error.issues[0]?.message ?? 'invalid value'}`;
}

/** Why a mark is refused, or null when it is fine. A null value ends a mark and is always fine. */
export function markProblem(mark: string, value: unknown): string | null {
  const schema = ownEntry(NOTE_MARKS, mark);
  if (!schema) return `"${mark}" is not a mark the note can hold`;
  if (value === null) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? null : `"${mark}" mark: ${parsed.error.issues[0]?.message ?? 'invalid value'}`;
}
