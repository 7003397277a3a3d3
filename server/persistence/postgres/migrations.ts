/**
 * Versioned schema for PostgreSQL, the same tables as `sqlite/migrations.ts`. Append new versions;
 * never edit a released one. Every process migrates forward at start, all pending versions in one
 * transaction under an advisory lock, so several processes starting at once apply each version once.
 *
 * Types: timestamps are bigint milliseconds (as in SQLite), document data is bytea, audit detail
 * is jsonb, and `seq`/`id` are bigserial (the adapter reads int8 as a JS number: 2^53 is far away).
 */
export const postgresMigrations: readonly string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin','clinician','supervisor')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE logins (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
  );
  CREATE INDEX logins_account ON logins(account_id);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    scheduled_at BIGINT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES accounts(id)
  );
  CREATE TABLE session_members (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL CHECK (role IN ('therapist','supervisor')),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, account_id)
  );
  CREATE INDEX session_members_account ON session_members(account_id);
  CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    session_id TEXT,
    detail JSONB NOT NULL
  );
  CREATE INDEX audit_session ON audit_log(session_id, id);
  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'insufficient_privilege';
  END;
  $$;
  CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  CREATE TABLE doc_updates (
    seq BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    account_id TEXT,
    data BYTEA NOT NULL
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc_id, seq);
  CREATE TABLE doc_snapshots (
    doc_id TEXT PRIMARY KEY,
    upto_seq BIGINT NOT NULL,
    data BYTEA NOT NULL
  );
  `,
  `
  CREATE TABLE tags (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX tags_active_name ON tags(lower(name)) WHERE NOT retired;
  ALTER TABLE sessions ADD COLUMN started_at BIGINT;
  ALTER TABLE sessions ADD COLUMN ended_at BIGINT;
  ALTER TABLE sessions ADD COLUMN group_members JSONB NOT NULL DEFAULT '[]';
  CREATE TABLE client_bindings (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    client_id BIGINT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    bound_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, client_id)
  );
  CREATE TABLE session_events (
    id BIGSERIAL PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    digest TEXT,
    reason TEXT
  );
  CREATE INDEX session_events_session ON session_events(session_id, id);
  CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END;
  $$;
  CREATE TRIGGER session_events_no_change BEFORE UPDATE OR DELETE ON session_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
  CREATE TRIGGER session_events_no_truncate BEFORE TRUNCATE ON session_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
  CREATE TABLE addenda (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    at BIGINT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX addenda_session ON addenda(session_id, at);
  CREATE TRIGGER addenda_no_change BEFORE UPDATE OR DELETE ON addenda
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
  CREATE TRIGGER addenda_no_truncate BEFORE TRUNCATE ON addenda
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
  CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    parent_id TEXT REFERENCES comments(id),
    anchor TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE
  );
  CREATE INDEX comments_session ON comments(session_id, created_at);
  `,
  `
  ALTER TABLE doc_snapshots ADD COLUMN meta BYTEA;
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
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (session_id, field)
  );
  CREATE TABLE learning_blind_settings (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    enabled BOOLEAN NOT NULL,
    set_by TEXT NOT NULL REFERENCES accounts(id),
    set_at BIGINT NOT NULL,
    revealed_at BIGINT
  );
  CREATE TABLE learning_reveal_requests (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    at BIGINT NOT NULL,
    PRIMARY KEY (session_id, account_id)
  );
  CREATE TABLE learning_blind_observations (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    record TEXT NOT NULL,
    anchor TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    offset_ms BIGINT,
    late BOOLEAN NOT NULL
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
    created_at BIGINT NOT NULL,
    read_at BIGINT
  );
  CREATE INDEX supervisor_notices_account ON supervisor_notices(account_id, created_at);
  CREATE TABLE supervisor_thread_states (
    root_id TEXT PRIMARY KEY REFERENCES comments(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    resolved_by TEXT REFERENCES accounts(id),
    resolved_at BIGINT
  );
  CREATE INDEX supervisor_thread_states_session ON supervisor_thread_states(session_id);
  CREATE TABLE supervisor_thread_reads (
    root_id TEXT NOT NULL REFERENCES comments(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    read_at BIGINT NOT NULL,
    PRIMARY KEY (root_id, account_id)
  );
  CREATE INDEX supervisor_thread_reads_session ON supervisor_thread_reads(session_id);
  CREATE TABLE supervisor_competencies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX supervisor_competencies_active_name ON supervisor_competencies(lower(name)) WHERE NOT retired;
  CREATE TABLE supervisor_notes (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    about_id TEXT REFERENCES accounts(id),
    body TEXT NOT NULL,
    codes JSONB NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL
  );
  CREATE INDEX supervisor_notes_session ON supervisor_notes(session_id, created_at);
  CREATE TRIGGER supervisor_notes_no_change BEFORE UPDATE ON supervisor_notes
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
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
  `,
];
