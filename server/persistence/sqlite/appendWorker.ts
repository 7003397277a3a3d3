/**
 * Worker thread entry: appends note updates to the SQLite database (see openSqliteStore). Requests
 * that arrive in the same turn of this thread's loop share one transaction, so several notes'
 * keystrokes cost one fsync; if it fails, each of them is told and retries on its own.
 */
import { serveThread, threadData } from '../../threads/serveThread';
import { openDatabase, sqliteAppender, type AppendRequest } from './SqliteStore';

const { file } = threadData<{ file: string }>();
const append = sqliteAppender(openDatabase(file));
let batch: { req: AppendRequest; done(err?: unknown): void }[] = [];

serveThread<AppendRequest, null>(
  (req) =>
    new Promise((resolve, reject) => {
      if (batch.length === 0) setImmediate(commit);
      batch.push({ req, done: (err) => (err === undefined ? resolve({ result: null }) : reject(err)) });
    }),
);

function commit(): void {
  const current = batch;
  batch = [];
  try {
    append(current.map((b) => b.req));
  } catch (err) {
    for (const b of current) b.done(err);
    return;
  }
  for (const b of current) b.done();
}
