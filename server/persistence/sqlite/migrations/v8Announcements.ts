/** Version 8: the Yjs client ids therapists' pages announced in a note's presence (BindingStore.announce). */
export const announcementsSchema = `
  CREATE TABLE client_announcements (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    client_id INTEGER NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    announced_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, client_id)
  );
`;
