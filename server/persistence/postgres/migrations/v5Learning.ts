/** Version 5: learning mode: debrief fields, blind sessions, reveal requests and private observations. */
export const learningSchema = `
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
`;
