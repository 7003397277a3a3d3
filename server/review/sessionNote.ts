import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { readNote, type Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { applyAll } from '../collab/compaction';
import type { DocStore } from '../persistence/ports';

/** The note as stored: snapshot plus tail, or (with `until`) only the log entries up to that time. */
export async function loadStoredNote(store: DocStore, sessionId: string, until?: number): Promise<Y.Doc> {
  const doc = new Y.Doc();
  if (until === undefined) {
    const { snapshot, tail } = await store.load(sessionId);
    applyAll(doc, [...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)]);
  } else {
    applyAll(doc, (await store.readLog(sessionId)).filter((e) => e.at <= until).map((e) => e.data));
  }
  return doc;
}

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
 * SHA-256 of the note's content as signed: text with its formatting, observations, answers to
 * flags and members' risk records. Two documents with the same content have the same digest whatever their edit history.
 */
export function noteDigest(doc: Y.Doc): string {
  const { note, observations, responses, risk } = sessionDoc(doc);
  // Risk records are signed content too; a note without any keeps the digest it always had.
  const canonical = JSON.stringify({
    note: contentOnly(readNote(note)), observations: sortedEntries(observations), responses: sortedEntries(responses),
    ...(risk.size > 0 ? { risk: sortedEntries(risk) } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
