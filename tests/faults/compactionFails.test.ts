import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { deferCleanup } from '../helpers/services';
import { isRunning, startServerProcess, tempDir } from '../helpers/startTestServer';
import { missingLines, typeSteadily } from '../scaleout/cluster';
import { storedText } from '../helpers/storedNote';

// Operator fault test, 6 Dec: with every snapshot refused (a full disk for the compaction's write,
// a PostgreSQL statement bound a huge note's fold cannot meet), each stored batch started another
// compaction: 240 attempts, each reading the whole note and folding it, each an error line, while
// 300 lines were typed.
it('a compaction that keeps failing is retried with backoff, not at every stored batch, and edits are saved throughout', async () => {
  const dataDir = tempDir();
  const p = await startServerProcess({ dataDir, env: { TANDEM_COMPACT_AFTER_UPDATES: '20' } });
  const clinic = await createClinic(p.baseUrl);
  const sessionId = await createSession(clinic);
  const a = connectClient(p.baseUrl, sessionId, clinic.a.api.cookie);
  await expect.poll(() => a.provider.synced).toBe(true);
  const db = new Database(path.join(dataDir, 'tandem.db'));
  deferCleanup(() => db.close());
  db.exec("CREATE TRIGGER refuse_snapshots BEFORE INSERT ON doc_snapshots BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
  expect((db.prepare('SELECT COUNT(*) AS n FROM doc_snapshots WHERE doc_id = ?').get(sessionId) as { n: number }).n).toBe(0);
  const typing = typeSteadily(a, 'a', 10);
  await expect.poll(() => typing.confirmed.size > 300, { timeout: 60_000 }).toBe(true);
  typing.stop();
  const attempts = p.output.filter((l) => l.includes('compaction failed')).length;
  expect(attempts).toBeGreaterThan(0);
  expect(attempts).toBeLessThan(20);
  await expect.poll(() => a.isSaved(), { timeout: 30_000 }).toBe(true);
  expect(missingLines(typing.typed, await storedText({ dataDir }, sessionId))).toEqual([]);
  // Once snapshots are taken again, the next attempt (after its wait) folds the log while typing goes on.
  db.exec('DROP TRIGGER refuse_snapshots');
  const more = typeSteadily(a, 'b', 20);
  const snapshots = () => (db.prepare('SELECT COUNT(*) AS n FROM doc_snapshots WHERE doc_id = ?').get(sessionId) as { n: number }).n;
  await expect.poll(snapshots, { timeout: 60_000 }).toBeGreaterThan(0);
  more.stop();
  await expect.poll(() => a.isSaved(), { timeout: 30_000 }).toBe(true);
  expect(missingLines([...typing.typed, ...more.typed], await storedText({ dataDir }, sessionId))).toEqual([]);
  expect(isRunning(p)).toBe(true);
  console.log(`[figures] compaction refused for good while 300+ lines were typed: ${attempts} attempts`);
}, 120_000);
