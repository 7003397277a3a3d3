import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { compressStore } from './compressedStore';
import { encryptStore } from './encryptedStore';
import type { Store } from './ports';
import { openSqliteStore } from './sqlite/SqliteStore';

/**
 * Picks the storage backend from configuration: PostgreSQL when DATABASE_URL is set, else SQLite.
 * Notes are compressed before they are sealed (sealed bytes do not compress), so compression
 * wraps encryption.
 */
export async function createStore(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'encryption'> & Partial<Pick<Config, 'postgresTimeouts'>>, log: Logger): Promise<Store> {
  const store = config.databaseUrl
    ? await (await import('./postgres/PostgresStore')).openPostgresStore(config.databaseUrl, log, config.postgresTimeouts)
    : await openSqliteStore(path.join(config.dataDir, 'tandem.db'));
  return compressStore(config.encryption ? encryptStore(store, config.encryption) : store);
}
