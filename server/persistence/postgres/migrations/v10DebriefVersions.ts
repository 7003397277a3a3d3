/** Version 10: every saved version of a huddle or debrief field, append-only (as in SQLite's). */
export const debriefVersionsSchema = `
  CREATE TABLE learning_debrief_versions (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    field TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    saved_by TEXT NOT NULL REFERENCES accounts(id),
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, field, version)
  );
  INSERT INTO learning_debrief_versions (session_id, field, version, body, saved_by, saved_at)
    SELECT session_id, field, version, body, updated_by, updated_at FROM learning_debrief_fields;
`;
