/** Version 14: notices found by their session (as in SQLite's: why there). */
export const noticeSessionsSchema = `
  CREATE INDEX IF NOT EXISTS supervisor_notices_session ON supervisor_notices(session_id, kind);
`;
