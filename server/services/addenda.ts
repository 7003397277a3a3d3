import { createHash, randomUUID } from 'node:crypto';
import { isLocked } from '../../shared/domain/lifecycle';
import { audited } from '../audit/audited';
import { conflict } from '../domain/errors';
import type { AddendumRecord, SessionRecord } from '../persistence/ports';
import type { ServiceDeps } from './deps';

/**
 * The addendum id a request stands for: one request id of one author in one session always
 * names the same addendum, and never another session's or author's. A UUID of version 8 (RFC
 * 9562, custom), from SHA-256.
 */
function addendumIdFor(sessionId: string, authorId: string, requestId: string): string {
  const hex = createHash('sha256').update(`addendum\n${sessionId}\n${authorId}\n${requestId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Adds an addendum to a signed note, with its audit record in one unit of work. With a
 * `requestId` (the page makes one per draft) sending it again adds nothing: it answers with the
 * addendum the first sending added (`created: false`). An answer lost on the network, then "Add"
 * pressed again, added the addendum twice, and addenda are never removed.
 *
 * Throws DomainError `conflict`: `not_locked` while the note is open; `addendum_request_reused`
 * when the request id already added an addendum of other words.
 */
export async function addAddendum(
  deps: Pick<ServiceDeps, 'store'>,
  session: SessionRecord,
  authorId: string,
  text: string,
  requestId: string | undefined,
): Promise<{ addendum: AddendumRecord; created: boolean }> {
  if (!isLocked(session.status)) throw conflict('not_locked', 'Addenda are for signed notes; while the note is open, write in the note itself.');
  const id = requestId ? addendumIdFor(session.id, authorId, requestId) : randomUUID();
  const earlier = async () => {
    const found = requestId ? (await deps.store.addenda.list(session.id)).find((a) => a.id === id) : undefined;
    if (found && found.body !== text) throw conflict('addendum_request_reused', 'This request already added an addendum with other words; reload the page and add it again.');
    return found;
  };
  const sent = await earlier();
  if (sent) return { addendum: sent, created: false };
  const addendum = { id, sessionId: session.id, authorId, at: Date.now(), body: text };
  try {
    await deps.store.commit([
      { kind: 'addendum', addendum },
      audited({ actorId: authorId, action: 'addendum_added', sessionId: session.id, detail: { addendumId: addendum.id } }, addendum.at),
    ]);
  } catch (err) {
    // The same request, sent twice at once: the other sending stored it between the look and the write.
    const stored = await earlier();
    if (stored) return { addendum: stored, created: false };
    throw err;
  }
  return { addendum, created: true };
}
