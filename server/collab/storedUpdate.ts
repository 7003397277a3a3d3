import type { BindingStore, DocStore } from '../persistence/ports';
import { mergeMany } from './compaction';
import { encodeFanoutUpdate } from './fanoutUpdate';

/**
 * Everything the store has of a note, with its client-id bindings, as one fan-out update (what
 * another process would publish): for a process to catch its copy up from the store. Null for a
 * note with nothing stored. Rejects when the store cannot be read.
 */
export async function storedFanoutUpdate(store: Pick<DocStore, 'load'>, bindings: Pick<BindingStore, 'forSession'>, sessionId: string): Promise<Uint8Array | null> {
  const { snapshot, tail } = await store.load(sessionId);
  const parts = [...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)];
  return parts.length > 0 ? encodeFanoutUpdate(mergeMany(parts), await bindings.forSession(sessionId)) : null;
}
