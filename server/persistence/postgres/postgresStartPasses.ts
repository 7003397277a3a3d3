import type pg from 'pg';
import type { StartPassStore } from '../ports';

/** StartPassStore on PostgreSQL. */
export function postgresStartPasses(pool: pg.Pool): StartPassStore {
  return {
    owed: async (name) => ((await pool.query('SELECT 1 FROM start_passes WHERE name = $1', [name])).rowCount ?? 0) > 0,
    done: async (name) => {
      await pool.query('DELETE FROM start_passes WHERE name = $1', [name]);
    },
  };
}
