/**
 * Version 13: one-off passes over stored data that a server start still owes (StartPassStore),
 * seeded with the rewording of answered flags' notices (supervisor/answeredFlagNotices.ts): a
 * database older than this version may hold notices of flags answered before answers reworded
 * them; a new one runs the pass once over nothing. Seeded again if the database is set back
 * (tests/faults/legacyReplyThreads.test.ts), which costs one more pass.
 */
export const startPassesSchema = `
  CREATE TABLE IF NOT EXISTS start_passes (name TEXT PRIMARY KEY);
  INSERT INTO start_passes (name) VALUES ('reword_answered_flags') ON CONFLICT (name) DO NOTHING;
`;
