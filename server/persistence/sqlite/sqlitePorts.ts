import type Database from 'better-sqlite3';
import type { Store } from '../ports';
import { inLineLogWriter } from './logWrites';
import { sqliteAccountStore, sqliteLoginStore } from './sqliteAccountStores';
import { sqliteDocStore } from './sqliteDocStore';
import type { sqliteLogWriter } from './sqliteLogWriter';
import { sqliteAuditStore, sqliteSessionStore } from './sqliteSessionStore';
import { sqliteLearningStore } from './sqliteLearningStore';
import { sqliteLeases } from './sqliteLeases';
import { sqliteStartPasses } from './sqliteStartPasses';
import { sqliteMemberNotes } from './sqliteMemberNotes';
import { sqliteReviewStores } from './sqliteReviewStores';
import { sqliteSupervisorStores } from './sqliteSupervisorStores';
import { sqliteUnitOfWork } from './sqliteUnitOfWork';
import { withStatementCache } from './sql';

/** The store's methods that the SQLite thread answers: every port, and `ping` and `commit` under {@link TOP_LEVEL}. */
export type SqlitePorts = Omit<Store, 'ping' | 'commit' | 'checkWrite' | 'close'> & { [TOP_LEVEL]: Pick<Store, 'ping' | 'commit'> };

/** The name `ping` and `commit` are listed under, beside the ports. */
export const TOP_LEVEL = '';

/**
 * The stores on the thread's connection. Their frequent writes (log appends, compactions, audit
 * records, login activity) are made here in line when called here; the main thread sends them as
 * batches instead (logWrites.ts), which commit many together.
 */
export function sqlitePorts(db: Database.Database, writer: ReturnType<typeof sqliteLogWriter>): SqlitePorts {
  const sql = withStatementCache(db);
  const writes = inLineLogWriter(writer);
  return {
    docs: sqliteDocStore(sql, writes),
    accounts: sqliteAccountStore(sql),
    logins: sqliteLoginStore(sql, writes),
    sessions: sqliteSessionStore(sql),
    audit: sqliteAuditStore(sql, writes),
    ...sqliteReviewStores(sql),
    learning: sqliteLearningStore(sql),
    ...sqliteSupervisorStores(sql),
    memberNotes: sqliteMemberNotes(sql),
    leases: sqliteLeases(sql),
    passes: sqliteStartPasses(sql),
    [TOP_LEVEL]: {
      ping: async () => {
        db.prepare('SELECT 1').get();
      },
      commit: sqliteUnitOfWork(sql),
    },
  };
}
