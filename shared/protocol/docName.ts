import { z } from 'zod';

/** Session ids are UUIDs; anything else in a sync URL is refused before touching storage. */
export const sessionIdSchema = z.uuid();

const SYNC_PREFIX = '/sync/';

/**
 * Extracts and validates the session id from a websocket request path (`/sync/<uuid>`, with an
 * optional query string). Returns null for anything else, including encoded path tricks.
 */
export function parseSyncPath(url: string): string | null {
  const path = url.split('?', 1)[0] ?? '';
  if (!path.startsWith(SYNC_PREFIX)) return null;
  const id = path.slice(SYNC_PREFIX.length);
  const parsed = sessionIdSchema.safeParse(id);
  return parsed.success ? parsed.data : null;
}

/** The websocket URL path of a session's note. */
export function syncPath(sessionId: string): string {
  return SYNC_PREFIX + sessionId;
}
