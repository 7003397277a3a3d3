/**
 * Letters typed or deleted at the caret change the note at the caret. The Yjs binding writes a
 * local change by comparing the line's old and new text (a prefix and suffix diff): a letter typed
 * just before the same letter goes in after it, and Backspace on a letter the same letter follows
 * deletes the one after; the text reads the same, but it is another place in Yjs, and another
 * person's letter when the next one is the co-therapist's. Her " and…" arriving as one types
 * " also…" at the same spot, this person's space went in after hers, and every word typed next
 * went in between her space and her words, where hers went too: "there. Alex again.Blair again. "
 * for " Alex again." and " Blair again." (CI, 5 Dec). So a change of one line's text (letters
 * typed, deleted, or typed over words of the line) is written into Yjs here, at its place, before
 * the binding compares texts; the binding then finds nothing to write. Anything else (a split or
 * join of lines, a paste of lines, a line with inline nodes, a line whose text Yjs holds
 * differently) is left to the binding.
 */
import { Extension } from '@tiptap/core';
import { Mark, type Node as PmNode, type ResolvedPos } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';
import { absolutePositionToRelativePosition, ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** Text typed into one line of `before.doc` in place of `from`..`to` (a caret: from = to), leaving the doc `after`. */
interface Typed {
  before: EditorState;
  after: EditorState['doc'];
  from: number;
  to: number;
  text: string;
  /** The marks of every typed letter (one set). */
  marks: readonly Mark[];
}

/** The sync plugin's state, as far as it is read here (its binding, history flag and snapshots). */
interface SyncState {
  binding?: ProsemirrorBinding;
  addToHistory?: boolean;
  snapshot?: unknown;
  prevSnapshot?: unknown;
}

/** The one change of a line's text that `transactions` (the person's own) make, if that is all they do. */
function typedIn(transactions: readonly Transaction[], before: EditorState): Omit<Typed, 'after'> | null {
  const changing = transactions.filter((tr) => tr.docChanged);
  if (changing.length !== 1 || transactions.some((tr) => tr.getMeta(ySyncPluginKey) !== undefined)) return null;
  const [tr] = changing;
  if (!tr || tr.steps.length !== 1 || tr.docs[0] !== before.doc) return null;
  const [step] = tr.steps;
  if (!(step instanceof ReplaceStep)) return null;
  const { content, openStart, openEnd } = step.slice;
  let textOnly = openStart === 0 && openEnd === 0 && (content.childCount > 0 || step.from < step.to);
  const marks = content.firstChild?.marks ?? [];
  content.forEach((node) => (textOnly &&= node.isText && Mark.sameSet(node.marks, marks)));
  const $from = before.doc.resolve(step.from);
  let lineOfText = $from.parent.isTextblock && $from.sameParent(before.doc.resolve(step.to));
  $from.parent.forEach((node) => (lineOfText &&= node.isText));
  if (!textOnly || !lineOfText) return null;
  return { before, from: step.from, to: step.to, text: content.textBetween(0, content.size), marks };
}

/** A Yjs text's contents as Yjs gives them (`toDelta`): runs of characters or an embed, each with its formatting. */
type Delta = { insert: unknown; attributes?: Record<string, unknown> }[];

/** The characters of a Yjs text's delta, an embed counted as one (as the binding's offsets count it). */
function plainText(delta: Delta): string {
  return delta.map((d) => (typeof d.insert === 'string' ? d.insert : '\uFFFC')).join('');
}

/** The binding's key of a mark's attribute without the hash it adds for marks that may overlap (y-tiptap's yattr2markname). */
const markNameOf = (key: string) => key.replace(/--[a-zA-Z0-9+/=]{8}$/, '');

/**
 * The formatting to write typed letters with at `index` of a line's `delta`: what Yjs would give them (the character
 * before's), each format the letters' marks lack ended (null). Yjs gives inserted letters the
 * character before's formatting; the binding then ends what they lack, but in a change of its own,
 * and the server read the first change as this person stretching the co-therapist's observation
 * over her letters and refused it (walk, 5 Dec). Null when a mark of the letters is not the
 * character before's: its Yjs key (a hash, for marks that may overlap) is the binding's to write.
 */
function formatAt(delta: Delta, index: number, marks: readonly Mark[]): Record<string, unknown> | null {
  let before: Record<string, unknown> = {};
  let seen = 0;
  for (const op of delta) {
    if (seen >= index) break;
    seen += typeof op.insert === 'string' ? op.insert.length : 1;
    before = op.attributes ?? {};
  }
  const format: Record<string, unknown> = {};
  const matched = new Set<Mark>();
  for (const [key, value] of Object.entries(before)) {
    const mark = marks.find((m) => !matched.has(m) && m.type.name === markNameOf(key) && JSON.stringify(m.attrs) === JSON.stringify(value));
    format[key] = mark ? value : null;
    if (mark) matched.add(mark);
  }
  return matched.size === marks.length ? format : null;
}

/**
 * The Yjs elements of the line at `$at` and each block around it, innermost first, when the
 * binding's record of each is the page's node (nothing of them waits to be written); otherwise null.
 */
function linePath(binding: ProsemirrorBinding, line: Y.XmlElement, $at: ResolvedPos): Y.XmlElement[] | null {
  const path: Y.XmlElement[] = [];
  let y: unknown = line;
  for (let depth = $at.depth; depth >= 1; depth--) {
    if (!(y instanceof Y.XmlElement) || binding.mapping.get(y) !== $at.node(depth)) return null;
    path.push(y);
    y = y.parent;
  }
  return y === binding.type ? path : null;
}

/**
 * Writes `typed` into the Yjs text of its line at its offsets, when Yjs holds that line as the page
 * had it (one text, the same characters, every block around it as the page had it); otherwise
 * leaves it to the binding. Then the binding's record of the line and the blocks around it is the
 * page's new line and blocks: the binding updates its record only where it writes, and a list
 * item's stale size put the next position past it, in the heading after (walk, 5 Dec).
 */
function writeAtCaret(doc: Y.Doc, binding: ProsemirrorBinding, typed: Typed, now: PmNode, addToHistory: boolean): void {
  const $at = typed.before.doc.resolve(typed.from);
  const place = Y.createAbsolutePositionFromRelativePosition(absolutePositionToRelativePosition(typed.from, binding.type, binding.mapping) as Y.RelativePosition, doc);
  if (!place || !(place.type instanceof Y.XmlText) || place.index !== $at.parentOffset) return;
  const text = place.type;
  const line = text.parent;
  // Read once: each keystroke walks the line's text here.
  const delta = text.toDelta() as Delta;
  if (!(line instanceof Y.XmlElement) || line.length !== 1 || plainText(delta) !== $at.parent.textContent) return;
  const path = linePath(binding, line, $at);
  const format = typed.text === '' ? {} : formatAt(delta, place.index, typed.marks);
  if (!path || !format) return;
  binding.mux(() => {
    doc.transact((tr) => {
      // As the binding marks its own writes, so this person's undo takes the letters back.
      tr.meta.set('addToHistory', addToHistory);
      if (typed.to > typed.from) text.delete(place.index, typed.to - typed.from);
      if (typed.text !== '') text.insert(place.index, typed.text, format);
    }, ySyncPluginKey);
  });
  const $now = now.resolve(typed.from);
  path.forEach((y, i) => binding.mapping.set(y, $now.node($now.depth - i)));
  const runs: PmNode[] = [];
  $now.parent.forEach((node) => runs.push(node));
  binding.mapping.set(text, runs);
}

export const TypedAtCaret = Extension.create<{ doc: Y.Doc | null }>({
  name: 'typedAtCaret',
  // Its plugin's view is updated before the Yjs binding's (Collaboration, priority 1000) writes.
  priority: 1100,
  addOptions: () => ({ doc: null }),
  addProseMirrorPlugins() {
    const { doc } = this.options;
    if (!doc) return [];
    let typed: Typed | null = null;
    return [
      new Plugin({
        key: new PluginKey('typedAtCaret'),
        appendTransaction(transactions, before, state) {
          // Called again in one dispatch when another plugin appends: typing still, if it leaves the text.
          if (typed && typed.after === before.doc) {
            typed = transactions.some((tr) => tr.docChanged) ? null : { ...typed, after: state.doc };
            return null;
          }
          const found = typedIn(transactions, before);
          typed = found ? { ...found, after: state.doc } : null;
          return null;
        },
        view: () => ({
          update(view, previous) {
            const found = typed;
            typed = null;
            if (!found || found.before !== previous || found.after !== view.state.doc) return;
            const sync = ySyncPluginKey.getState(view.state) as SyncState | undefined;
            if (!sync?.binding || sync.snapshot != null || sync.prevSnapshot != null) return;
            writeAtCaret(doc, sync.binding, found, view.state.doc, sync.addToHistory !== false);
          },
        }),
      }),
    ];
  },
});
