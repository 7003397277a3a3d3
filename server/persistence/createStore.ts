import path from 'node:path';
import type { Config } from '../config';
import type { Store } from './ports';
import { openSqliteStore } from './sqlite/SqliteStore';

/** Picks the storage backend from configuration: PostgreSQL when DATABASE_URL is set, else SQLite. */
export async function createStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) {
    const { openPostgresStore } = await import('./postgres/PostgresStore');
    return openPostgresStore(config.databaseUrl);
  }
  return openSqliteStore(path.join(config.dataDir, 'tandem.db'));
}
