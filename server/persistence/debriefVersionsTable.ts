/**
 * Version 10 of both schemas: every saved version of a huddle or debrief field, append-only
 * (attack, 6 Dec: a save updated the field's one row in place, so the co-therapist could empty or
 * rewrite the other's words and nothing kept them). The versions saved before it keep their last
 * one each. One text for both engines, which differ only in the type of a millisecond time
 * (`INTEGER` in SQLite, `BIGINT` in PostgreSQL); each adapter's migration list fixes its own.
 */
export const debriefVersionsTable = (millis: 'INTEGER' | 'BIGINT'): string => `
  CREATE TABLE learning_debrief_versions (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    field TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    saved_by TEXT NOT NULL REFERENCES accounts(id),
    saved_at ${millis} NOT NULL,
    PRIMARY KEY (session_id, field, version)
  );
  INSERT INTO learning_debrief_versions (session_id, field, version, body, saved_by, saved_at)
    SELECT session_id, field, version, body, updated_by, updated_at FROM learning_debrief_fields;
`;
