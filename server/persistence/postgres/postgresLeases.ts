import type pg from 'pg';
import { LEASE_KEPT_MS, type LeaseStore } from '../ports';

/** The database's clock in ms: processes on several hosts judge leases by one clock, not theirs. */
const NOW = '(extract(epoch from clock_timestamp()) * 1000)::int8';

/** LeaseStore on PostgreSQL: one round trip each. */
export function postgresLeases(pool: pg.Pool): LeaseStore {
  return {
    renew: async (instanceId, ttlMs) => {
      await pool.query(
        `WITH gone AS (DELETE FROM process_leases WHERE expires_at < ${NOW} - $3 AND instance_id <> $1)
         INSERT INTO process_leases (instance_id, expires_at) VALUES ($1, ${NOW} + $2)
         ON CONFLICT (instance_id) DO UPDATE SET expires_at = excluded.expires_at`,
        [instanceId, ttlMs, LEASE_KEPT_MS],
      );
    },
    lapsed: async (instanceIds) =>
      (await pool.query<{ instance_id: string }>(`SELECT instance_id FROM process_leases WHERE instance_id = ANY($1) AND expires_at <= ${NOW}`, [instanceIds]))
        .rows.map((r) => r.instance_id),
  };
}
