import { laterVersions } from './migrations/laterVersions';

/**
 * Versioned schema for SQLite. Append new versions; never edit a released one: servers migrate
 * forward at start inside one transaction per version. Versions 1 to 7 are written here; 8 on, each in a file of its own.
 */
export const sqliteMigrations: readonly string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin','clinician','supervisor')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE logins (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );
  CREATE INDEX logins_account ON logins(account_id);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    scheduled_at INTEGER,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES accounts(id)
  );
  CREATE TABLE session_members (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL CHECK (role IN ('therapist','supervisor')),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, account_id)
  );
  CREATE INDEX session_members_account ON session_members(account_id);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    session_id TEXT,
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_session ON audit_log(session_id, id);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    account_id TEXT,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc_id, seq);
  CREATE TABLE doc_snapshots (
    doc_id TEXT PRIMARY KEY,
    upto_seq INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  `,
  `
  CREATE TABLE tags (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    retired INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX tags_active_name ON tags(lower(name)) WHERE retired = 0;
  ALTER TABLE sessions ADD COLUMN started_at INTEGER;
  ALTER TABLE sessions ADD COLUMN ended_at INTEGER;
  ALTER TABLE sessions ADD COLUMN group_members TEXT NOT NULL DEFAULT '[]';
  CREATE TABLE client_bindings (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    client_id INTEGER NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    bound_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, client_id)
  );
  CREATE TABLE session_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    at INTEGER NOT NULL,
    actor_id TEXT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    digest TEXT,
    reason TEXT
  );
  CREATE INDEX session_events_session ON session_events(session_id, id);
  CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
  CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
  CREATE TABLE addenda (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX addenda_session ON addenda(session_id, at);
  CREATE TRIGGER addenda_no_update BEFORE UPDATE ON addenda BEGIN SELECT RAISE(ABORT, 'addenda are immutable'); END;
  CREATE TRIGGER addenda_no_delete BEFORE DELETE ON addenda BEGIN SELECT RAISE(ABORT, 'addenda are immutable'); END;
  CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    parent_id TEXT REFERENCES comments(id),
    anchor TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX comments_session ON comments(session_id, created_at);
  `,
  `
  ALTER TABLE doc_snapshots ADD COLUMN meta BLOB;
  `,
  `
  ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  `,
  `
  CREATE TABLE learning_debrief_fields (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    field TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES accounts(id),
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (session_id, field)
  );
  CREATE TABLE learning_blind_settings (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    enabled INTEGER NOT NULL,
    set_by TEXT NOT NULL REFERENCES accounts(id),
    set_at INTEGER NOT NULL,
    revealed_at INTEGER
  );
  CREATE TABLE learning_reveal_requests (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (session_id, account_id)
  );
  CREATE TABLE learning_blind_observations (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    record TEXT NOT NULL,
    anchor TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    offset_ms INTEGER,
    late INTEGER NOT NULL
  );
  CREATE INDEX learning_blind_observations_session ON learning_blind_observations(session_id, received_at);
  `,
  `
  CREATE TABLE supervisor_notices (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    actor_id TEXT REFERENCES accounts(id),
    ref_id TEXT,
    created_at INTEGER NOT NULL,
    read_at INTEGER
  );
  CREATE INDEX supervisor_notices_account ON supervisor_notices(account_id, created_at);
  CREATE TABLE supervisor_thread_states (
    root_id TEXT PRIMARY KEY REFERENCES comments(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    resolved_by TEXT REFERENCES accounts(id),
    resolved_at INTEGER
  );
  CREATE INDEX supervisor_thread_states_session ON supervisor_thread_states(session_id);
  CREATE TABLE supervisor_thread_reads (
    root_id TEXT NOT NULL REFERENCES comments(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    read_at INTEGER NOT NULL,
    PRIMARY KEY (root_id, account_id)
  );
  CREATE INDEX supervisor_thread_reads_session ON supervisor_thread_reads(session_id);
  CREATE TABLE supervisor_competencies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    retired INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX supervisor_competencies_active_name ON supervisor_competencies(lower(name)) WHERE retired = 0;
  CREATE TABLE supervisor_notes (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    about_id TEXT REFERENCES accounts(id),
    body TEXT NOT NULL,
    codes TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
  );
  CREATE INDEX supervisor_notes_session ON supervisor_notes(session_id, created_at);
  CREATE TRIGGER supervisor_notes_no_update BEFORE UPDATE ON supervisor_notes BEGIN SELECT RAISE(ABORT, 'supervision notes are immutable'); END;
  CREATE INDEX audit_actor ON audit_log(actor_id, id);
  CREATE INDEX audit_at ON audit_log(at);
  `,
  `
  CREATE TABLE members_attendance (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    attendance TEXT NOT NULL
  );
  CREATE TABLE members_note_links (
    note_session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    group_session_id TEXT NOT NULL REFERENCES sessions(id),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX members_note_links_group ON members_note_links(group_session_id, created_at);
  CREATE TABLE members_process_notes (
    process_session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    session_id TEXT NOT NULL UNIQUE REFERENCES sessions(id),
    retain_days INTEGER,
    shared_at INTEGER,
    removed_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE members_group_sessions (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    group_id TEXT NOT NULL,
    joined_at INTEGER NOT NULL
  );
  CREATE INDEX members_group_sessions_group ON members_group_sessions(group_id, joined_at);
  CREATE TABLE members_derivations (
    group_session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    claimed_until INTEGER NOT NULL
  );
  `,
  ...laterVersions,
];
