import * as Y from 'yjs';
import type { Logger } from '../log';
import type { Connection } from './Connection';
import type { Origin } from './origins';
import { formatChanges } from './formatChanges';
import { attributeChanges } from './attributeChanges';
import { attributeBefore } from './wordMarks';
import { deletedIn, deletedLooks } from './deletedLooks';
import { OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';
import type { UpdateFacts } from './updateFacts';
import { WireError } from './wire';
import { extentMoves } from './observationExtents';

export interface ApplyTarget {
  doc: Y.Doc;
  /** Which account writes under which Yjs client id; new ids of the update are bound here. */
  clientAccounts: Map<number, string>;
  sessionId: string;
  log: Logger;
}

/**
 * The apply stage: applies an update the gate judged, binding the sender to the client ids it
 * writes first (undone if Yjs cannot apply it), and fills `facts.formatted` with what it did to
 * the formatting of words already in the note (their marks, and their blocks' attributes) and
 * `facts.deletedLooks` with how the words it deletes looked. Throws WireError when Yjs cannot.
 */
export function applyJudged(target: ApplyTarget, conn: Connection, update: Uint8Array, facts: UpdateFacts): void {
  const { doc, clientAccounts } = target;
  conn.lastActivityAt = Date.now();
  const bind = [...facts.writers].filter((c) => !clientAccounts.has(c));
  for (const c of bind) clientAccounts.set(c, conn.principal.accountId);
  // Fan-out may have left parts waiting (another process's judged updates, out of order).
  const { store } = doc;
  const waitedBefore = store.pendingStructs !== null || store.pendingDs !== null;
  const origin = { source: 'connection', conn, bind, writers: facts.writers } satisfies Origin;
  try {
    // In a transaction of our own (remote, as applyUpdate's is), so that what it did to the
    // formatting of the note's words, and how the words it deletes looked, are read before Yjs
    // cleans formats up and drops what deleted items held.
    Y.transact(doc, (tr) => {
      Y.applyUpdate(doc, update, origin);
      const deletedNow = deletedIn(tr);
      facts.formatted = [...formatChanges(tr, facts.writers, OBSERVATION_MARK), ...attributeChanges(tr, attributeBefore(tr, deletedNow))];
      if (tr.deleteSet.clients.size > 0) facts.deletedLooks = deletedLooks(tr, deletedNow);
      facts.extents = extentMoves(tr, deletedNow, conn.principal.accountId);
    }, origin, false);
  } catch {
    for (const c of bind) clientAccounts.delete(c);
    throw new WireError('document update could not be applied');
  } finally {
    if (!waitedBefore) dropPending(target);
  }
}

/**
 * Yjs keeps what it cannot integrate yet and integrates it with a later update, unjudged. The
 * gate lets only complete updates through, so there is never anything here; if there were, it
 * is dropped rather than let in later.
 */
function dropPending({ doc, sessionId, log }: ApplyTarget): void {
  const { store } = doc;
  if (store.pendingStructs === null && store.pendingDs === null) return;
  log.error('update left pending parts after the gate judged it complete; dropped them', { sessionId });
  store.pendingStructs = null;
  store.pendingDs = null;
}
