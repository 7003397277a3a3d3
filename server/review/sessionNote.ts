import { createHash } from 'node:crypto';
import type * as Y from 'yjs';
import { canonicalNote } from '../../shared/note/noteCanonical';
import type { DocStore } from '../persistence/ports';

/**
 * The note as stored, as the updates that make it: snapshot plus tail, or (with `until`, ms) only
 * the log entries up to that time. Each part holds exactly its bytes (a view into a pooled slab
 * would be copied whole to the note-reading thread).
 */
export async function storedNoteParts(store: DocStore, sessionId: string, until?: number): Promise<Uint8Array[]> {
  if (until !== undefined) return (await store.readLog(sessionId)).filter((e) => e.at <= until).map((e) => new Uint8Array(e.data));
  const { snapshot, tail } = await store.load(sessionId);
  return [...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)].map((d) => new Uint8Array(d));
}

/**
 * SHA-256 (hex) of the note's content as signed (canonicalNote): two documents with the same
 * content have the same digest whatever their edit history.
 */
export function noteDigest(doc: Y.Doc): string {
  return createHash('sha256').update(canonicalNote(doc)).digest('hex');
}
