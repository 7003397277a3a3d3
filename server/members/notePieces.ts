import { OBSERVATION_MARK, MENTION_NODE } from '../../shared/ydoc/sessionDoc';
import type { Block } from '../../shared/note/readNote';
import type { TextFrom } from './derivedNote';

/*
 * A text block of the group note as the member-note derivation reads it: inline pieces (text runs
 * with their formatting and observations, mentions, breaks), and their joined text, where member
 * labels are looked for.
 */

/** Formatting kept in the member note: what a reader sees (observation marks and links are the group note's). */
const KEPT_MARKS = ['bold', 'italic', 'underline', 'strike', 'code'];

/** `from`: the Yjs id of a text run's first character in the group note (who wrote it: memberNoteUpdate). */
export type Piece = { kind: 'text'; text: string; marks: string[]; observationIds: string[]; from: TextFrom } | { kind: 'mention'; label: string; from?: TextFrom } | { kind: 'break' };

/** A text block's inline pieces in order (runs, or text/break/mention children), or null for a block that holds blocks. */
export function pieces(block: Block): Piece[] | null {
  const fromRuns = (b: Block): Piece[] =>
    b.runs.map((r) => {
      const obs = r.marks[OBSERVATION_MARK]?.id;
      return { kind: 'text', text: r.text, marks: Object.keys(r.marks).filter((m) => KEPT_MARKS.includes(m)), observationIds: typeof obs === 'string' ? [obs] : [], from: { client: r.client, clock: r.clock } };
    });
  if (block.runs.length > 0) return fromRuns(block);
  if (block.children.length === 0) return block.type === 'paragraph' || block.type === 'heading' || block.type === 'codeBlock' ? [] : null;
  if (!block.children.every((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === MENTION_NODE)) return null;
  return block.children.flatMap((c): Piece[] => {
    if (c.type === 'hardBreak') return [{ kind: 'break' }];
    if (c.type === MENTION_NODE) return typeof c.attrs.id === 'string' ? [{ kind: 'mention', label: c.attrs.id, ...(c.id ? { from: c.id } : {}) }] : [];
    return fromRuns(c);
  });
}

export const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Stands for a mention or a line break in a block's joined text: not a letter or digit, so it ends
 * a word (a label typed right against a mention chip is still a word), and never part of a label.
 */
export const NOT_TEXT = '\uFFFC';

/**
 * A text block's pieces as one string, with where each text piece starts in it. Labels are matched
 * on this and not run by run: a run ends wherever formatting, the writer or the moment of typing
 * changes, so "M" in bold followed by "2 was angry" — or two sibling text nodes — is one word "M2".
 */
export function joined(ps: Piece[]): { text: string; starts: number[] } {
  let text = '';
  const starts = ps.map((p) => {
    const start = text.length;
    text += p.kind === 'text' ? p.text : NOT_TEXT;
    return start;
  });
  return { text, starts };
}
