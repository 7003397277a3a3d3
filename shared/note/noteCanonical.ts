import type * as Y from 'yjs';
import { sessionDoc } from '../ydoc/sessionDoc';
import { readNote, type Block } from './readNote';

/** Blocks with ids and formatting removed: what a person reads, which is what a signature covers. */
function contentOnly(blocks: Block[]): unknown[] {
  return blocks.map((b) => ({
    type: b.type,
    attrs: b.attrs,
    text: b.runs.map((r) => [r.text, Object.keys(r.marks).sort().map((k) => [k, r.marks[k]])]),
    children: contentOnly(b.children),
  }));
}

const sortedEntries = <T>(map: Y.Map<T>) => Array.from(map.entries()).sort(([a], [b]) => a.localeCompare(b));

/**
 * The note's content as signed, as one string: text with its formatting, observations, answers to
 * flags and members' risk records. Two documents with the same content give the same string
 * whatever their edit history. Its SHA-256 is the note's digest (server/review/sessionNote.ts);
 * a therapist's page sends the digest of its own copy with a signature, so nobody signs a note
 * other than the one on their screen.
 */
export function canonicalNote(doc: Y.Doc): string {
  const { note, observations, responses, risk } = sessionDoc(doc);
  // Risk records are signed content too; a note without any keeps the digest it always had.
  return JSON.stringify({
    note: contentOnly(readNote(note)), observations: sortedEntries(observations), responses: sortedEntries(responses),
    ...(risk.size > 0 ? { risk: sortedEntries(risk) } : {}),
  });
}
