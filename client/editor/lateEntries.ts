/**
 * Late entries in the live editor. The server labels what was written after the session ended in
 * the note's `lateEntries` map: ranges of Yjs item ids `{client, clock, len}` with the time. Each
 * range's characters still in the note are found through the Yjs binding (a relative position on
 * the first and on the last character of each stored item), and shown with a decoration: a dashed
 * underline, and after each stretch a small "late entry, 14:05" label drawn by CSS from an
 * attribute, so the label is never part of the text, the selection or the caret's path. Nothing
 * is written to the note.
 */
import type { EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { LateEntry } from '../../shared/domain/observation';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { mentionSuggestionKey } from './memberMention';
import { recordDecorations } from './recordDecorations';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

interface Stretch {
  from: number;
  to: number;
  at: number;
  accountId: string;
}

interface Binding {
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> };
}

/** Ranges of one client merged (mergedRanges), with the time of each labelled range in clock order. */
type MergedRange = LateEntry & { times: { clock: number; at: number }[] };

/**
 * When the characters `first`…`last` of a merged range were written: the latest of the labelled
 * ranges they fall in. The merged range's latest time (the whole range's) put a sentence typed at
 * 19:04 under 19:05 once more words came later elsewhere (walk, 4 Dec), where the review said 19:04.
 */
function writtenAt(range: MergedRange, first: number, last: number): number {
  const { times } = range;
  // The labelled range covering `first`: the last one starting at or before it.
  let lo = 0;
  for (let hi = times.length - 1; lo < hi; ) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]!.clock <= first) lo = mid;
    else hi = mid - 1;
  }
  let at = 0;
  for (let i = lo; i < times.length && times[i]!.clock <= last; i++) at = Math.max(at, times[i]!.at);
  return at || range.at;
}

/** Where each visible character of a late-entry range is in the editor, item by item. */
function stretchesOf(doc: Y.Doc, b: Binding, entry: MergedRange): Stretch[] {
  const structs = doc.store.clients.get(entry.client);
  const end = entry.clock + entry.len;
  const last = structs?.at(-1);
  if (!structs || !last || entry.clock >= last.id.clock + last.length) return [];
  const at = (client: number, clock: number, assoc: number) =>
    relativePositionToAbsolutePosition(doc, b.type, Y.createRelativePositionFromJSON({ item: { client, clock }, assoc }), b.binding.mapping as never);
  const found: Stretch[] = [];
  let start: number;
  try {
    start = Y.findIndexSS(structs, entry.clock);
  } catch {
    return [];
  }
  for (let i = start; i < structs.length && structs[i]!.id.clock < end; i++) {
    const item = structs[i]!;
    if (!(item instanceof Y.Item) || item.deleted || !(item.content instanceof Y.ContentString)) continue;
    const first = Math.max(entry.clock, item.id.clock);
    const lastChar = Math.min(end, item.id.clock + item.length) - 1;
    const from = at(entry.client, first, 0);
    const to = at(entry.client, lastChar, -1);
    if (from !== null && to !== null && to > from) found.push({ from, to, at: writtenAt(entry, first, lastChar), accountId: entry.accountId });
  }
  return found;
}

/**
 * The stretches in document order, touching ones by one person joined (typing one key at a time
 * makes many). Another's words right after them are a late entry of their own, with its own time,
 * as the review and the exports show it (walk, 3 Dec: Cara's words after Theo's read as one entry
 * at her time).
 */
function joined(stretches: Stretch[]): Stretch[] {
  const sorted = [...stretches].sort((a, b) => a.from - b.from);
  const out: Stretch[] = [];
  for (const s of sorted) {
    const prev = out.at(-1);
    if (prev && s.from <= prev.to && s.accountId === prev.accountId) {
      prev.to = Math.max(prev.to, s.to);
      prev.at = Math.max(prev.at, s.at);
    } else out.push({ ...s });
  }
  return out;
}

/** Ranges of one client that follow on each other as one (the server labels each keystroke). */
function mergedRanges(entries: LateEntry[]): MergedRange[] {
  const sorted = [...entries].sort((a, b) => a.client - b.client || a.clock - b.clock);
  const out: MergedRange[] = [];
  for (const e of sorted) {
    const prev = out.at(-1);
    if (prev && prev.client === e.client && e.clock <= prev.clock + prev.len) {
      prev.len = Math.max(prev.len, e.clock + e.len - prev.clock);
      prev.at = Math.max(prev.at, e.at);
      prev.times.push({ clock: e.clock, at: e.at });
    } else out.push({ ...e, times: [{ clock: e.clock, at: e.at }] });
  }
  return out;
}

/**
 * The parts of stretches outside the mention being typed ("@M…", until a member is chosen). Marking
 * it put the label's element on the letter just typed, inside the member list's own mark, and
 * Chromium then typed the next letters before it: "@M2 phoned" became "@2 phoned…M" (walk, 4 Dec).
 * The chosen mention replaces those letters anyway.
 */
function outsideMentionTyped(state: EditorState, stretches: Stretch[]): Stretch[] {
  const typing = mentionSuggestionKey.getState(state) as { active?: boolean; range?: { from: number; to: number } } | undefined;
  const range = typing?.active ? typing.range : undefined;
  if (!range) return stretches;
  return stretches.flatMap((s) =>
    [{ ...s, to: Math.min(s.to, range.from) }, { ...s, from: Math.max(s.from, range.to) }].filter((part) => part.to > part.from),
  );
}

function decorate(state: EditorState, doc: Y.Doc): DecorationSet {
  const entries = mergedRanges([...sessionDoc(doc).lateEntries.values()]);
  const b = ySyncPluginKey.getState(state) as Partial<Binding> | undefined;
  if (entries.length === 0 || !b?.type || !b.binding) return DecorationSet.empty;
  const binding = b as Binding;
  const decorations = outsideMentionTyped(state, joined(entries.flatMap((e) => stretchesOf(doc, binding, e)))).flatMap((s) => {
    const label = `late entry, ${time.format(s.at)}`;
    return [
      Decoration.inline(s.from, s.to, { class: 'late-entry', title: `Written after the session ended (${label})` }),
      // The label after the stretch's last character.
      Decoration.inline(s.to - 1, s.to, { class: 'late-entry late-entry--end', 'data-late-label': label }),
    ];
  });
  return DecorationSet.create(state.doc, decorations);
}

export const LateEntries = recordDecorations('lateEntries', (doc) => sessionDoc(doc).lateEntries, decorate);
