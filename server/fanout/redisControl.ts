import { z } from 'zod';
import { liveEventSchema, type LiveEvent } from '../../shared/domain/supervisor';
import type { FanoutMessage } from './Fanout';

/** What a `live` control message must hold; anything else on the channel is dropped. */
const liveControlSchema = z.object({ accountIds: z.array(z.string().max(64)).max(1000), event: liveEventSchema });
const heartbeatSchema = z.object({ from: z.string().max(64), sessionIds: z.array(z.string().max(64)).max(100_000) });

/** A message between processes about access or settings, never content: "re-check your connections' rights". */
export type ControlMessage =
  | { kind: 'recheck-access' }
  /** The codebook changed: read it again (an observation with a new tag is checked against it). */
  | { kind: 'codebook' }
  /**
   * A process is back from a Redis outage: what it published meanwhile (revocations, live events)
   * was dropped, and what the others published did not reach it. Every process re-checks its
   * connections' access and has its live streams reconnect (their pages read everything again).
   */
  | { kind: 'caught-up' }
  /** A live event for these accounts' open pages on every process (supervisor/LiveEvents.ts). */
  | { kind: 'live'; accountIds: string[]; event: LiveEvent }
  /** Every second from a process that shares live: it hears Redis, and these notes have pages on it (fanout/peerWatch.ts). */
  | { kind: 'heartbeat'; from: string; sessionIds: string[] }
  /** A process stopping: gone, not silent. */
  | { kind: 'goodbye'; from: string };

/** Sent by a process that came back from an outage, or opened a note: "publish whole what you hold of these". */
export interface ResyncRequest {
  kind: 'resync';
  sessionIds: string[];
}

/** How a process catches up, and helps others catch up, after messages were lost. */
export interface ResyncHooks {
  /** Updates to hand to the session's local subscribers: what other processes stored meanwhile. */
  catchUp(sessionId: string): Promise<Uint8Array[]>;
  /** What this process holds of the session (document state, presence), to publish whole. */
  snapshotOf(sessionId: string): FanoutMessage[];
}

/** A control message as JSON on the control channel, stamped with its sender (version 1). */
export function encodeControl(from: string, message: ControlMessage | ResyncRequest): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, from, ...message }));
}

/**
 * A control frame of no kind any process acts on (`decodeControl` drops it): published by a process
 * recovering from an outage to learn whether Redis takes its publishes. A link can answer PING and
 * SUBSCRIBE while every PUBLISH is refused (`-NOPERM` after an ACL change, `-OOM` or `-READONLY` from
 * a proxy in front of Redis).
 */
export const publishCheck = (from: string): Buffer => Buffer.from(JSON.stringify({ v: 1, from, kind: 'publish-check' }));

/**
 * Reads a frame of the control channel. Null for one this process sent (`self`), one that is not
 * JSON, or one of no known kind or shape: the channel is open to every process, so nothing on it
 * is trusted as it comes.
 */
export function decodeControl(frame: Buffer, self: string): ControlMessage | ResyncRequest | null {
  let parsed: { from?: unknown; kind?: unknown; sessionIds?: unknown };
  try {
    parsed = JSON.parse(frame.toString()) as typeof parsed;
  } catch {
    return null;
  }
  if (parsed.from === self) return null;
  if (parsed.kind === 'recheck-access' || parsed.kind === 'caught-up' || parsed.kind === 'codebook') return { kind: parsed.kind };
  if (parsed.kind === 'live') {
    const live = liveControlSchema.safeParse(parsed);
    return live.success ? { kind: 'live', accountIds: live.data.accountIds, event: live.data.event } : null;
  }
  if (parsed.kind === 'heartbeat') {
    const beat = heartbeatSchema.safeParse(parsed);
    return beat.success ? { kind: 'heartbeat', from: beat.data.from, sessionIds: beat.data.sessionIds } : null;
  }
  if (parsed.kind === 'goodbye' && typeof parsed.from === 'string') return { kind: 'goodbye', from: parsed.from };
  if (parsed.kind === 'resync' && Array.isArray(parsed.sessionIds)) {
    return { kind: 'resync', sessionIds: parsed.sessionIds.filter((id): id is string => typeof id === 'string') };
  }
  return null;
}
