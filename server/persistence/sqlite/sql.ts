import type Database from 'better-sqlite3';

type Db = Database.Database;

/** What the stores use of a connection. */
export type Sql = Pick<Db, 'prepare' | 'transaction'>;

/**
 * Preparing a statement costs more than running most of these queries (a login and membership
 * lookup on every websocket upgrade), so each SQL text is prepared once per connection.
 */
export function withStatementCache(db: Db): Sql {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = cache.get(source);
    if (!statement) {
      statement = db.prepare(source);
      cache.set(source, statement);
    }
    return statement;
  };
  // Db['prepare'] is generic only in the row and parameter types it reports, not in what it does.
  return { prepare: prepare as Db['prepare'], transaction: (fn) => db.transaction(fn) };
}
