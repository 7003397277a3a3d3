import path from 'node:path';
import * as Y from 'yjs';
import { applyAll } from '../../server/collab/compaction';
import { createLogger } from '../../server/log';
import { createStore } from '../../server/persistence/createStore';
import { noteText } from './connectClient';

/** The note's text as storage holds it, read with a store of its own (the server may be dead). */
export async function storedText(where: { dataDir?: string; databaseUrl?: string }, sessionId: string): Promise<string> {
  const store = await createStore({ dataDir: where.dataDir ?? path.resolve('data'), databaseUrl: where.databaseUrl ?? null, encryption: null }, createLogger('silent'));
  try {
    const { snapshot, tail } = await store.docs.load(sessionId);
    const doc = new Y.Doc();
    applyAll(doc, [...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)]);
    return noteText(doc);
  } finally {
    await store.close();
  }
}
