import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { canonicalNote } from '../../shared/note/noteCanonical';
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

/**
 * SHA-256 (hex) of the note's content as signed (canonicalNote): two documents with the same
 * content have the same digest whatever their edit history.
 */
export function noteDigest(doc: Y.Doc): string {
  return createHash('sha256').update(canonicalNote(doc)).digest('hex');
}
