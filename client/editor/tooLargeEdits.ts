/**
 * A change too large for the server is refused by the editor before it enters the note, and its
 * text kept on the device. Taken out of the Yjs document after the fact (outgoingLimit.ts), it
 * only lost what it inserted: the words a paste replaced stayed deleted, the co-therapist's among
 * them as deleted by this person, and a pasted run of lines left the caret in the next heading
 * (walk, 5 Dec). Refused here, the note and the caret stay as they were.
 */
import { Extension } from '@tiptap/core';
import type { Node as PmNode, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { updateMessageBytes } from '../../shared/protocol/messageSize';

/** The server's limit on one change, and where a change the editor refused for it is kept (CollabConnection `editLimit`). */
export interface EditSizeLimit {
  /** Bytes one update message may take. */
  bytes(): number;
  /** Keeps the text of a change refused for its size (`size`: its estimated message, in bytes). */
  setAside(change: { text: string; size: number }): void;
}

/**
 * Bytes a Yjs item takes besides its content, at least as many as y-prosemirror's updates spend:
 * its info byte, origin and right origin (a client id and a clock each) and its parent's length,
 * as lib0 varints. Over pastes of 24–87 KB (plain lines, short lines, marks, lists, headings,
 * Cyrillic and CJK) this estimate came out 1–3 % above the Yjs update for long lines of text and
 * 37–59 % above it for short lines, marks, lists and headings, written by a client whose random
 * id takes five bytes, as 15 in 16 do; for the smallest ids, up to 2.1 times it
 * (tests/unit/tooLargeEdits.test.ts).
 */
const ITEM_BYTES = 16;
const utf8 = new TextEncoder();
const bytesOf = (value: unknown): number => utf8.encode(JSON.stringify(value) ?? '').length;

/**
 * At least what a node adds to a Yjs update: its item (and its text item, for an element), its
 * name or text, each attribute, and each mark (an item at either end).
 */
function nodeBytes(node: PmNode): number {
  let bytes = (node.isText ? ITEM_BYTES : 2 * ITEM_BYTES) + utf8.encode(node.isText ? (node.text ?? '') : node.type.name).length;
  for (const [key, value] of Object.entries(node.attrs)) bytes += ITEM_BYTES + key.length + bytesOf(value);
  for (const mark of node.marks) bytes += 2 * (ITEM_BYTES + mark.type.name.length + bytesOf(mark.attrs));
  return bytes;
}

/** What inserting `slice` adds to a Yjs update, in bytes, at least (an estimate: see ITEM_BYTES). */
export function sliceBytes(slice: Slice): number {
  let bytes = 0;
  slice.content.descendants((node) => {
    bytes += nodeBytes(node);
  });
  return bytes;
}

const slicesOf = (tr: Transaction): Slice[] => tr.steps.flatMap((step) => (step instanceof ReplaceStep || step instanceof ReplaceAroundStep ? [step.slice] : []));

/** The message bytes of what `tr` inserts, at least; 0 when the binding applied it (not this person's edit). */
function insertedBytes(tr: Transaction): number {
  if (!tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined) return 0;
  return updateMessageBytes(slicesOf(tr).reduce((sum, slice) => sum + sliceBytes(slice), 0));
}

const insertedText = (tr: Transaction): string => slicesOf(tr).map(({ content }) => content.textBetween(0, content.size, '\n', '\n')).join('\n');

export const TooLargeEdits = Extension.create<{ limit: EditSizeLimit | null }>({
  name: 'tooLargeEdits',
  addOptions() {
    return { limit: null };
  },
  addProseMirrorPlugins() {
    const limit = this.options.limit;
    if (!limit) return [];
    // A transaction may be filtered more than once (appended transactions are filtered again): keep it once.
    const refused = new WeakSet<Transaction>();
    return [
      new Plugin({
        key: new PluginKey('tooLargeEdits'),
        filterTransaction(tr) {
          const size = insertedBytes(tr);
          if (size <= limit.bytes()) return true;
          if (!refused.has(tr)) {
            refused.add(tr);
            limit.setAside({ text: insertedText(tr), size });
          }
          return false;
        },
      }),
    ];
  },
});
