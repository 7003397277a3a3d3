/** Version 9: who asked to share process notes with the supervisor, when, and who shared them (as in SQLite's). */
export const shareConsentSchema = `
  ALTER TABLE members_process_notes ADD COLUMN share_asked_by TEXT REFERENCES accounts(id);
  ALTER TABLE members_process_notes ADD COLUMN share_asked_at BIGINT;
  ALTER TABLE members_process_notes ADD COLUMN shared_by TEXT REFERENCES accounts(id);
`;
