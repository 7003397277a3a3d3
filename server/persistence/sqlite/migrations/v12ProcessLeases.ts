/** Version 12: each process's liveness lease (as PostgreSQL's: why there). */
export const processLeasesSchema = `
  CREATE TABLE IF NOT EXISTS process_leases (
    instance_id TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
`;
