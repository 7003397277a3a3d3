import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import { tempDir } from '../helpers/startTestServer';

const INCREMENTAL = 2;
const autoVacuum = (file: string): unknown => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('auto_vacuum', { simple: true });
  } finally {
    db.close();
  }
};

/** A note whose text was typed (10 KB an update) and then cleared: a long log, a tiny state. */
function clearedNote(updates: number): { log: Uint8Array[]; state: Uint8Array } {
  const doc = new Y.Doc();
  const log: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => log.push(u));
  const text = doc.getText('t');
  for (let i = 0; i < updates; i++) text.insert(text.length, `${i}`.padEnd(10_000, '.'));
  text.delete(0, text.length);
  text.insert(0, 'What is left.');
  return { log, state: Y.encodeStateAsUpdate(doc) };
}

describe('SQLite file after compaction', () => {
  it('gives the pages of the replaced update log back to the file system', async () => {
    const file = path.join(tempDir('tandem-reclaim-'), 'tandem.db');
    const note = clearedNote(300);
    let store = await openSqliteStore(file);
    await store.docs.append('n1', note.log.map((data, i) => ({ at: i, data, accountId: null })));
    const last = (await store.docs.readLog('n1')).at(-1)!;
    await store.close();
    const withLog = fs.statSync(file).size;

    store = await openSqliteStore(file);
    await store.docs.compact('n1', { uptoSeq: last.seq, data: note.state, meta: null }, [{ seq: last.seq, at: last.at, data: note.state }], 0);
    await store.close();
    const compacted = fs.statSync(file).size;
    // 3 MB of log became a few hundred bytes (without reclaiming, the file stayed 3.3 MB).
    expect(withLog).toBeGreaterThan(3_000_000);
    expect(compacted).toBeLessThan(1_000_000);
    expect(autoVacuum(file)).toBe(INCREMENTAL);

    store = await openSqliteStore(file);
    const { snapshot } = await store.docs.load('n1');
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, snapshot!.data);
    expect(reloaded.getText('t').toString()).toBe('What is left.');
    await store.close();
  });

  it('hands back at a graceful stop the free pages it keeps for new rows while running', async () => {
    const file = path.join(tempDir('tandem-reclaim-'), 'tandem.db');
    // 400 KB of log: fewer freed pages than are kept for new rows after a compaction.
    const note = clearedNote(40);
    const store = await openSqliteStore(file);
    await store.docs.append('n1', note.log.map((data, i) => ({ at: i, data, accountId: null })));
    const last = (await store.docs.readLog('n1')).at(-1)!;
    await store.docs.compact('n1', { uptoSeq: last.seq, data: note.state, meta: null }, [{ seq: last.seq, at: last.at, data: note.state }], 0);
    await store.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.statSync(file).size).toBeLessThan(400_000);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    db.close();
  });

  it('turns reclaiming on for a database made before it, keeping everything in it', async () => {
    const file = path.join(tempDir('tandem-reclaim-'), 'tandem.db');
    const note = clearedNote(50);
    let store = await openSqliteStore(file);
    await store.docs.append('n1', note.log.map((data, i) => ({ at: i, data, accountId: null })));
    await store.close();
    const old = new Database(file);
    old.pragma('auto_vacuum = NONE');
    old.exec('VACUUM');
    expect(old.pragma('auto_vacuum', { simple: true })).toBe(0);
    old.close();

    store = await openSqliteStore(file);
    expect((await store.docs.readLog('n1')).length).toBe(note.log.length);
    await store.close();
    expect(autoVacuum(file)).toBe(INCREMENTAL);
  });
});
