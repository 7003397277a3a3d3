import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import { tempDir } from '../helpers/startTestServer';
import { compressedDocsContract } from './compressedDocs.contract';
import { storeContract } from './store.contract';

const file = path.join(tempDir('tandem-contract-'), 'tandem.db');

storeContract(
  'SQLite',
  async () => openSqliteStore(file),
  async (sql) => {
    const db = new Database(file);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  },
);

compressedDocsContract('SQLite', () => openSqliteStore(file));
