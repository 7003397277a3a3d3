/**
 * Version 14: notices found by their session. A lock rewords the notices of its note's answered
 * flags (supervisor/answeredFlagNotices.ts), and answers and flags taken back change those of one
 * session: each read the whole table, one row for every notice of the clinic.
 */
export const noticeSessionsSchema = `
  CREATE INDEX IF NOT EXISTS supervisor_notices_session ON supervisor_notices(session_id, kind);
`;
