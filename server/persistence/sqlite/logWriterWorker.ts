/**
 * Worker thread entry: writes the notes' update log to the SQLite database (see openSqliteStore):
 * each request is an append batch the main thread gathered, or a compaction, in one transaction.
 * Being the log's only writer, it never waits on another connection for the log's lock.
 */
import { serveThread, threadData } from '../../threads/serveThread';
import { fileIdentity } from './fileIdentity';
import { openDatabase, sqliteLogWriter, type LogWrite } from './sqliteLogWriter';

const { file } = threadData<{ file: string }>();
const db = openDatabase(file);
const writer = sqliteLogWriter(db);
const stillOurs = fileIdentity(file);

serveThread<LogWrite, null>(
  async (w) => {
    stillOurs();
    writer.write(w);
    return null;
  },
  // Closing (not just ending the thread) lets SQLite checkpoint the WAL and remove it; the free
  // pages kept for new rows go back to the file system first.
  () => {
    writer.reclaimAll();
    db.close();
  },
);
