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

/** `UPDATE table SET …` for the defined fields of `patch` (booleans as 0/1), synchronous; nothing when none is defined. */
export function updateRowById(db: Sql, table: string, columns: Record<string, string>, id: string, patch: Record<string, unknown>): void {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  const sets = entries.map(([k]) => `${columns[k]} = @${k}`).join(', ');
  const values = Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 1 : 0) : v]));
  db.prepare(`UPDATE ${table} SET ${sets} WHERE id = @id`).run({ ...values, id });
}
