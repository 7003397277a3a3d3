import type { StartPassStore } from '../ports';
import type { Sql } from './sql';

/** StartPassStore on SQLite. */
export function sqliteStartPasses(db: Sql): StartPassStore {
  return {
    owed: async (name) => db.prepare('SELECT 1 FROM start_passes WHERE name = ?').get(name) !== undefined,
    done: async (name) => {
      db.prepare('DELETE FROM start_passes WHERE name = ?').run(name);
    },
  };
}
