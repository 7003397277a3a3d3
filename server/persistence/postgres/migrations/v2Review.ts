/** Version 2: the review: codebook tags, session lifecycle (status times, events), group members, authorship bindings, addenda and comments. */
export const reviewSchema = `
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
`;
