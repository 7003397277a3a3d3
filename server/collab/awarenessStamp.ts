import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';
import type { Connection } from './Connection';
import { WireError } from './wire';

/** Presence state is small (a name, a colour, a cursor); anything larger is not presence. */
const MAX_STATE_CHARS = 16 * 1024;
/**
 * Entries and bytes one awareness frame may carry. A page echoes every peer's state it knows (a few
 * hundred bytes each, a few dozen peers at most); one frame of 1.2 million entries (9.6 MB) held
 * the event loop 180–420 ms however few of them were kept (attack, 3 Dec).
 */
export const MAX_AWARENESS_ENTRIES = 1024;
export const MAX_AWARENESS_BYTES = 1024 * 1024;
/** One editor announces one awareness id; a few more cover a reconnect that reuses the socket. */
export const MAX_AWARENESS_IDS = 4;

const yId = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() }).strict();
/** A Yjs relative position as `Y.relativePositionToJSON` writes it. */
const relativePosition = z
  .object({ type: yId.nullish(), tname: z.string().max(64).nullish(), item: yId.nullish(), assoc: z.number().int().min(-1).max(1).optional() })
  .strict();
/**
 * What a peer may show of someone else: their caret and selection (the collaboration-caret
 * extension's `cursor`). Anything else a client puts in its state is dropped, and a cursor of any
 * other shape is dropped too: every page renders these.
 */
const cursorSchema = z.object({ anchor: relativePosition, head: relativePosition }).strict().nullable();

/**
 * Rewrites a client's awareness update so its `user` field is the identity the server attested
 * (name, colour, role), whatever the client claimed, and drops entries for awareness client ids
 * that another connection already announced, and departures of ids this one never announced.
 * Returns null when nothing is left to apply. With `caretsOnly` a selection is reduced to its
 * caret (its head): in a blind session, what the co-therapist selects could show what they tag.
 */
export function stampAwareness(
  update: Uint8Array,
  conn: Connection,
  connections: Iterable<Connection>,
  caretsOnly = false,
  /** Who holds each id: the states in force (stamped here or by another process), else its first announcer. */
  heldBy: (clientId: number) => string | null = () => null,
): Uint8Array | null {
  const taken = new Set<number>();
  for (const c of connections) if (c !== conn) for (const id of c.awarenessClients) taken.add(id);
  const out = encoding.createEncoder();
  // One entry per id, the frame's last for it: a frame naming one id 50,000 times (attack, 2 Dec)
  // was judged and stamped 50,000 times, each counting the new ids so far (13 s of the loop).
  const entries = new Map<number, { clientId: number; clock: number; state: string }>();
  let freshIds = 0;
  if (update.byteLength > MAX_AWARENESS_BYTES) throw new WireError(`awareness update of ${update.byteLength} bytes; at most ${MAX_AWARENESS_BYTES}`);
  try {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    if (n > MAX_AWARENESS_ENTRIES) throw new WireError(`awareness update of ${n} entries; at most ${MAX_AWARENESS_ENTRIES}`);
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const state = decoding.readVarString(d);
      // Held by another connection here, or by another account (present, or its first announcer).
      const holder = heldBy(clientId);
      if (taken.has(clientId) || (holder !== null && holder !== conn.principal.accountId)) continue;
      // Stock providers echo everyone's presence changes back, departures included. A departure
      // is not a claim: taking the id here would hide its owner when they come back.
      if (state.trim() === 'null' && !conn.awarenessClients.has(clientId)) continue;
      const fresh = !conn.awarenessClients.has(clientId) && !entries.has(clientId);
      if (fresh && conn.awarenessClients.size + freshIds >= MAX_AWARENESS_IDS) continue;
      if (fresh) freshIds++;
      entries.set(clientId, { clientId, clock, state });
    }
    if (decoding.hasContent(d)) throw new WireError('trailing bytes after awareness update');
  } catch (err) {
    throw err instanceof WireError ? err : new WireError('malformed awareness update');
  }
  if (entries.size === 0) return null;
  encoding.writeVarUint(out, entries.size);
  for (const e of entries.values()) {
    conn.awarenessClients.add(e.clientId);
    encoding.writeVarUint(out, e.clientId);
    encoding.writeVarUint(out, e.clock);
    encoding.writeVarString(out, stampState(e.state, conn, caretsOnly));
  }
  return encoding.toUint8Array(out);
}

function stampState(json: string, conn: Connection, caretsOnly: boolean): string {
  if (json.length > MAX_STATE_CHARS) throw new WireError('awareness state too large');
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    throw new WireError('awareness state is not JSON');
  }
  if (state === null) return 'null';
  if (typeof state !== 'object' || Array.isArray(state)) throw new WireError('awareness state must be an object');
  const { principal } = conn;
  const cursor = cursorSchema.safeParse((state as { cursor?: unknown }).cursor ?? null);
  return JSON.stringify({
    user: { name: principal.name, color: principal.color, role: principal.role, accountId: principal.accountId },
    cursor: cursor.success && cursor.data && caretsOnly ? { anchor: cursor.data.head, head: cursor.data.head } : cursor.success ? cursor.data : null,
  });
}

/** The account a stamped state names (`user.accountId`), or null for none or a state not stamped. */
export function stampedAccount(state: unknown): string | null {
  const user = (state as { user?: { accountId?: unknown } } | null)?.user;
  return typeof user?.accountId === 'string' ? user.accountId : null;
}

/**
 * Drops the entries of presence another process published that claim an id a connection here
 * announced for a different account (or that would remove it): each process checks claims only
 * against its own connections, so the process where the id's owner is connected refuses them.
 * Null when nothing is left.
 */
export function dropForeignClaims(update: Uint8Array, localHolder: (clientId: number) => string | null): Uint8Array | null {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const kept: { clientId: number; clock: number; state: string }[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const state = decoding.readVarString(d);
    const holder = localHolder(clientId);
    if (holder === null || holder === stampedAccount(JSON.parse(state))) kept.push({ clientId, clock, state });
  }
  if (kept.length === n) return update;
  if (kept.length === 0) return null;
  const out = encoding.createEncoder();
  encoding.writeVarUint(out, kept.length);
  for (const e of kept) {
    encoding.writeVarUint(out, e.clientId);
    encoding.writeVarUint(out, e.clock);
    encoding.writeVarString(out, e.state);
  }
  return encoding.toUint8Array(out);
}
