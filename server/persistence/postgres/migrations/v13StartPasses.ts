/** Version 13: one-off passes a server start still owes (as in SQLite's: why there). */
export const startPassesSchema = `
  CREATE TABLE IF NOT EXISTS start_passes (name TEXT PRIMARY KEY);
  INSERT INTO start_passes (name) VALUES ('reword_answered_flags') ON CONFLICT (name) DO NOTHING;
`;
