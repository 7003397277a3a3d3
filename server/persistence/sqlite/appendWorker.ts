/**
 * Worker thread entry: appends note updates to the SQLite database (see openSqliteStore). Each
 * request is the batch the main thread gathered, stored in one transaction; if it fails, every
 * note in it is told and retries on its own.
 */
import { serveThread, threadData } from '../../threads/serveThread';
import { openDatabase, sqliteAppender, type AppendRequest } from './SqliteStore';

const { file } = threadData<{ file: string }>();
const db = openDatabase(file);
const append = sqliteAppender(db);

serveThread<AppendRequest[], null>(
  async (batch) => {
    append(batch);
    return { result: null };
  },
  // Closing (not just ending the thread) lets SQLite checkpoint the WAL and remove it.
  () => db.close(),
);
