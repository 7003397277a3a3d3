/** Version 9: the Yjs clocks each client id of a note has been granted up to, and to whom (BindingStore.claimClocks). */
export const clockClaimsSchema = `
  CREATE TABLE client_clocks (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    client_id BIGINT NOT NULL,
    next_clock BIGINT NOT NULL,
    owner TEXT NOT NULL,
    PRIMARY KEY (session_id, client_id)
  );
`;
