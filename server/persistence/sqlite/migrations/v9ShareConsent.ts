/**
 * Version 9: sharing process notes asks every therapist of the session (walk, 4 Dec: one shared
 * both therapists' notes alone). Who asked first and when, and who shared them.
 */
export const shareConsentSchema = `
  ALTER TABLE members_process_notes ADD COLUMN share_asked_by TEXT REFERENCES accounts(id);
  ALTER TABLE members_process_notes ADD COLUMN share_asked_at INTEGER;
  ALTER TABLE members_process_notes ADD COLUMN shared_by TEXT REFERENCES accounts(id);
`;
