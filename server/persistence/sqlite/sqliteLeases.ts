import { LEASE_KEPT_MS, type LeaseStore } from '../ports';
import type { Sql } from './sql';

/** The host's clock in ms, read by SQLite: every process sharing the file runs on that host. */
const NOW = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/** LeaseStore on SQLite (processes sharing one database file and Redis). */
export function sqliteLeases(db: Sql): LeaseStore {
  return {
    renew: async (instanceId, ttlMs) => {
      db.transaction(() => {
        db.prepare(`DELETE FROM process_leases WHERE expires_at < ${NOW} - ? AND instance_id <> ?`).run(LEASE_KEPT_MS, instanceId);
        db.prepare(`INSERT INTO process_leases (instance_id, expires_at) VALUES (?, ${NOW} + ?) ON CONFLICT (instance_id) DO UPDATE SET expires_at = excluded.expires_at`)
          .run(instanceId, ttlMs);
      })();
    },
    lapsed: async (instanceIds) => {
      const lapsed = db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM process_leases WHERE instance_id = ? AND expires_at <= ${NOW}`);
      return instanceIds.filter((id) => lapsed.get(id)!.n > 0);
    },
  };
}
