/** Version 7: group members: attendance, member-note links, process notes, group series and derivations. */
export const membersSchema = `
  CREATE TABLE members_attendance (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    attendance TEXT NOT NULL
  );
  CREATE TABLE members_note_links (
    note_session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    group_session_id TEXT NOT NULL REFERENCES sessions(id),
    created_at BIGINT NOT NULL
  );
  CREATE INDEX members_note_links_group ON members_note_links(group_session_id, created_at);
  CREATE TABLE members_process_notes (
    process_session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    session_id TEXT NOT NULL UNIQUE REFERENCES sessions(id),
    retain_days INTEGER,
    shared_at BIGINT,
    removed_at BIGINT,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE members_group_sessions (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    group_id TEXT NOT NULL,
    joined_at BIGINT NOT NULL
  );
  CREATE INDEX members_group_sessions_group ON members_group_sessions(group_id, joined_at);
  CREATE TABLE members_derivations (
    group_session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    claimed_until BIGINT NOT NULL
  );
`;
