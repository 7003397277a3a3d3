/**
 * The one form every label the exports add to the note takes: an author's initials, "template",
 * "group note", "late entry …", "deleted by …", "made bold by …". Brackets, bold, italic or code
 * are all things a therapist can type, so a label written with them read exactly like typed words
 * (attack, 6 Dec: "[BT] I think the client is lying", typed by Alex, read as Blair's passage in
 * both exports). A label is a node of its own here, written as a `<kbd>` element in the Markdown
 * (a typed "<" is always escaped, so no typed text becomes an element) and drawn in a box in the
 * PDF (no mark draws a box).
 */
import type { Data, Literal } from 'mdast';
import type { Options } from 'mdast-util-to-markdown';

/** A label the export adds, its `value` the words inside it ("BT", "late entry by …"). */
export interface LabelChip extends Literal {
  type: 'labelChip';
  data?: Data;
}

declare module 'mdast' {
  interface PhrasingContentMap {
    labelChip: LabelChip;
  }
  interface RootContentMap {
    labelChip: LabelChip;
  }
}

/** The element a label is written as in the Markdown: GitHub and most renderers draw it as a key, in a box. */
export const LABEL_ELEMENT = 'kbd';

/** A label with `value` inside it; `author` (an account id, null: the template) colours it in the PDF. */
export const labelChip = (value: string, author?: string | null): LabelChip => ({
  type: 'labelChip',
  value,
  ...(author === undefined ? {} : { data: { author } }),
});

/**
 * Writes a label as `<kbd>words</kbd>`. The words are escaped as any text is: a "<" or "*" in a
 * name or in quoted words can neither close the element nor format what follows.
 */
export const labelChipToMarkdown: Options = {
  handlers: {
    labelChip: (node: LabelChip, _parent, state) => `<${LABEL_ELEMENT}>${state.safe(node.value, { before: '>', after: '<' })}</${LABEL_ELEMENT}>`,
  },
};
