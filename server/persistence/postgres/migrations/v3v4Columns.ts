/** Version 3: a snapshot's meta (what it folded, for replay). */
export const snapshotMeta = `
  ALTER TABLE doc_snapshots ADD COLUMN meta BYTEA;
`;

/** Version 4: a session's version, for compare-and-set updates. */
export const sessionVersion = `
  ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
`;
