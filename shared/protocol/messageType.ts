import { z } from 'zod';

/**
 * Wire message types. 0–3 are the y-websocket protocol (sync, awareness, auth, query-awareness);
 * ours start at 100 so they can never collide with a future y-websocket type.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /**
   * Server → client: what the server has durably stored: a state vector (varUint8Array) and a
   * tally of deletions (varUint count, varUint sum); see storedState.ts.
   */
  Saved: 100,
  /** Server → client: JSON {@link ServerNotice}, e.g. a refused write or the connection's access. */
  Notice: 101,
} as const;

/**
 * The version of this protocol (the message types above and the notices below). A server says it
 * in its `hello`; it goes up when a change would make an older client misread the server.
 */
export const PROTOCOL_VERSION = 1;

/** Why the server did not apply (part of) a client's update; stable snake_case codes. */
export const REFUSAL_CODES = [
  // The write gate itself.
  'client_id_taken',
  'missing_parts',
  'deletes_unwritten',
  // Guards (server/collab/guards.ts, server/learning/blindRegistry.ts).
  'read_only',
  'session_locked',
  'invalid_content',
  'unknown_member',
  'invalid_risk',
  'wrong_author',
  'server_only',
  'invalid_observation',
  'observation_immutable',
  'unknown_tag',
  'invalid_response',
  'not_flagged',
  'own_flag',
  'already_answered',
  'not_yours',
  'observation_moved',
  'judging_busy',
  'not_judged',
  'blind_private',
  // server/collab/writerLimits.ts
  'too_many_observations',
  'too_many_devices',
  'note_full',
  'too_scattered',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/**
 * Refusals whose reason can pass while the page stays connected: a member label or a tag put back,
 * the blind reveal, a judge no longer busy or failing. The web client sends such a change again
 * after a while (client/collab/refusalRetry.ts); the others would be refused again as they are.
 */
export const PASSING_REFUSALS: readonly RefusalCode[] = ['unknown_member', 'unknown_tag', 'blind_private', 'judging_busy', 'not_judged'];

const bytes = z.number().int().nonnegative();

/**
 * What the server tells a client beside the document itself (JSON in a `Notice` frame). The
 * server writes these; the client parses them with this schema and ignores what it does not
 * understand (a newer server's notice, or a refusal code it does not know: see `parseNotice`).
 */
export const serverNoticeSchema = z.discriminatedUnion('type', [
  /**
   * The first message on every connection: the protocol version, how often the server sends a
   * heartbeat (see liveness.ts) and the largest message it accepts, so the client can check its
   * own edits.
   */
  z.object({ type: z.literal('hello'), protocol: z.number().int().positive(), heartbeatMs: z.number().int().positive(), maxMessageBytes: bytes }),
  z.object({ type: z.literal('access'), canWrite: z.boolean(), role: z.string(), reason: z.string().optional() }),
  /**
   * With `client_id_taken`: the Yjs client ids concerned (those the update wrote under, or those
   * the page named in its URL: see deviceClients.ts).
   */
  z.object({ type: z.literal('refused'), code: z.enum(REFUSAL_CODES), message: z.string(), clients: z.array(z.number().int().nonnegative()).optional() }),
  z.object({ type: z.literal('save-failed'), message: z.string() }),
  z.object({ type: z.literal('save-recovered') }),
  /**
   * Whether this server process can share edits live with the others (their Redis link): while
   * `interrupted`, edits made through another process reach this page late, and this page's reach
   * the pages there late; each is stored as usual. Sent on a change, and at connect while interrupted.
   */
  z.object({ type: z.literal('live-sharing'), interrupted: z.boolean() }),
  /** Sent just before closing with `MessageOverLimit`: the message's size and the limit, in bytes. */
  z.object({ type: z.literal('too-big'), size: bytes, limit: bytes }),
]);

export type ServerNotice = z.infer<typeof serverNoticeSchema>;
export type NoticeType = ServerNotice['type'];
