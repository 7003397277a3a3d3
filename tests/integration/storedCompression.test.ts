import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { compactDoc, foldLog, type Fold } from '../../server/collab/compaction';
import { KeptFolds } from '../../server/collab/keptFolds';
import { createLogger } from '../../server/log';
import { isCompressed } from '../../server/persistence/compression';
import { createStore } from '../../server/persistence/createStore';
import type { NewLogEntry } from '../../server/persistence/ports';
import { createSealer, type EncryptionKeys } from '../../server/persistence/sealer';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import { tempDir } from '../helpers/startTestServer';

/** `count` typed sentences, one update each, `at` 0, 1, 2… ms after `from`. */
function typed(doc: Y.Doc, count: number, from = 0): NewLogEntry[] {
  const updates: Uint8Array[] = [];
  const record = (u: Uint8Array) => updates.push(u);
  doc.on('update', record);
  for (let i = 0; i < count; i++) doc.getText('note').insert(doc.getText('note').length, `Week ${i}: sleep improved, fewer arguments at home. `);
  doc.off('update', record);
  return updates.map((data, i) => ({ at: from + i, accountId: null, data }));
}

/** A long note typed into the store the server composes, compacted; returns its raw stored snapshot. */
async function storedSnapshot(encryption: EncryptionKeys | null): Promise<{ stored: Uint8Array; state: Uint8Array }> {
  const dataDir = tempDir('tandem-compressed-');
  const store = await createStore({ dataDir, databaseUrl: null, encryption }, createLogger('silent'));
  await store.docs.append('n1', typed(new Y.Doc(), 300));
  await compactDoc(store.docs, 'n1', 1_000);
  const state = (await store.docs.load('n1')).snapshot!.data;
  await store.close();
  const raw = await openSqliteStore(`${dataDir}/tandem.db`);
  const stored = (await raw.docs.load('n1')).snapshot!.data;
  await raw.close();
  return { stored, state };
}

describe('the store the server opens (createStore)', () => {
  it('stores a compacted note compressed', async () => {
    const { stored, state } = await storedSnapshot(null);
    expect(isCompressed(stored)).toBe(true);
    expect(stored.byteLength).toBeLessThan(state.byteLength / 2);
  });

  it('compresses before it seals: the sealed bytes open to compressed ones', async () => {
    const keys = { current: randomBytes(32), previous: [] };
    const { stored, state } = await storedSnapshot(keys);
    expect(isCompressed(stored)).toBe(false);
    expect(isCompressed(createSealer(keys).open(stored))).toBe(true);
    expect(stored.byteLength).toBeLessThan(state.byteLength / 2);
  });

  it('reads back the snapshot compaction stored byte for byte, so the next fold continues from its kept document', async () => {
    const store = await createStore({ dataDir: tempDir('tandem-compressed-'), databaseUrl: null, encryption: null }, createLogger('silent'));
    const kept = new KeptFolds();
    const take = kept.take.bind(kept);
    let continued = 0;
    kept.take = (docId, snapshot) => {
      const doc = take(docId, snapshot);
      if (doc) continued++;
      return doc;
    };
    const fold: Fold = async (input) => foldLog(input, kept);
    const doc = new Y.Doc();
    await store.docs.append('n1', typed(doc, 300));
    await compactDoc(store.docs, 'n1', 1_000, fold);
    await store.docs.append('n1', typed(doc, 50, 5_000));
    await compactDoc(store.docs, 'n1', 1_000, fold);
    expect(continued).toBe(1);
    await store.close();
  });
});
