import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../ports';
import { inLineLogWriter, threadedLogWriter } from './logWrites';
import { sqliteAccountStore, sqliteLoginStore } from './sqliteAccountStores';
import { sqliteDocStore } from './sqliteDocStore';
import { openDatabase, sqliteLogWriter, useIncrementalVacuum } from './sqliteLogWriter';
import { sqliteAuditStore, sqliteSessionStore } from './sqliteSessionStore';
import { sqliteLearningStore } from './sqliteLearningStore';
import { sqliteMemberNotes } from './sqliteMemberNotes';
import { sqliteReviewStores } from './sqliteReviewStores';
import { sqliteSupervisorStores } from './sqliteSupervisorStores';
import { sqliteUnitOfWork } from './sqliteUnitOfWork';
import { withStatementCache } from './sql';
import { sqliteMigrations } from './migrations';

type Db = Database.Database;

/**
 * Opens (creating and migrating) the SQLite database. `file` may be ':memory:'. The frequent
 * writes (the notes' update log and its compactions, audit records, login activity) are made by a
 * worker thread with its own connection: a commit waits for the disk, and the event loop that
 * relays keystrokes must not wait with it, nor sleep waiting for that connection's lock.
 * (':memory:' cannot be shared with a second connection, so there they are written in line.)
 */
export async function openSqliteStore(file: string): Promise<Store> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = openDatabase(file);
  useIncrementalVacuum(db);
  migrate(db);
  const threaded = file === ':memory:' ? null : threadedLogWriter(file);
  // The writer thread starts now: loading its modules takes ~150 ms of a core, which the first
  // request after start (a clinician opening a note) would otherwise wait behind.
  await threaded?.ready;
  const writes = threaded ?? inLineLogWriter(sqliteLogWriter(db));
  const sql = withStatementCache(db);
  return {
    docs: sqliteDocStore(sql, writes),
    accounts: sqliteAccountStore(sql),
    logins: sqliteLoginStore(sql, writes),
    sessions: sqliteSessionStore(sql),
    audit: sqliteAuditStore(sql, writes),
    ...sqliteReviewStores(sql),
    learning: sqliteLearningStore(sql),
    ...sqliteSupervisorStores(sql),
    memberNotes: sqliteMemberNotes(sql),
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    // Through the writer, the path every frequent write takes.
    checkWrite: () => writes.checkWrite(),
    commit: sqliteUnitOfWork(sql),
    close: async () => {
      await threaded?.close();
      db.close();
    },
  };
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  sqliteMigrations.forEach((sql, i) => {
    const version = i + 1;
    if (version <= current) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    })();
  });
}

