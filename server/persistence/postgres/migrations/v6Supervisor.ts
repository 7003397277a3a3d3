/** Version 6: the supervisor's desk: notices, thread states and reads, competencies and supervision notes, and audit indexes. */
export const supervisorSchema = `
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
`;
