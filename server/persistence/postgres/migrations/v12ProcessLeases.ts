/**
 * Version 12: each process's liveness lease (LeaseStore). A process
 * silent on Redis whose lease lapsed was killed; one whose lease is fresh lost its Redis link.
 * IF NOT EXISTS: a database set back to an earlier version migrates forward again
 * (tests/faults/legacyReplyThreads.test.ts sets one back to version 10).
 */
export const processLeasesSchema = `
  CREATE TABLE IF NOT EXISTS process_leases (
    instance_id TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
  );
`;
