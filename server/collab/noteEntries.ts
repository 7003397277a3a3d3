import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Logger } from '../log';
import type { AppendRefusal } from '../persistence/storageBoundary';
import type { NoteCompaction } from './compactionSchedule';
import type { SharedDoc } from './SharedDoc';

/** A note loaded on this process (CollabServer's map of them, by session id). */
export interface NoteEntry {
  ready: Promise<SharedDoc>;
  doc: SharedDoc;
  unloadTimer: NodeJS.Timeout | null;
  compaction: NoteCompaction;
  /** Bumped whenever a connection claims the note, so an unload in progress can tell it must stop. */
  claims: number;
}

/**
 * Drops a loaded note whose edits storage refused for good (AppendRefusedError), taken in before
 * this process heard of what made storage refuse them: the note was locked (signed) or removed, or
 * a writer claimed a Yjs client id another account holds (its Redis away, this process knew
 * nothing of the claim). It holds words the record does not, so it is not served again: its
 * sockets reconnect to the note as stored, where what a page still holds of those words is judged
 * afresh (`session_locked`, `client_id_taken`) and shown to its writer to copy (attack, 4 Dec).
 */
export function discardNote(entries: Map<string, NoteEntry>, doc: SharedDoc, log: Logger, refused: number, reason: AppendRefusal): void {
  const { sessionId } = doc;
  const why = reason === 'closed' ? 'the note was locked or removed while they were on their way' : 'a writer claimed a Yjs client id another account holds';
  log.warn(`note edits refused: ${why}; serving the note from storage again`, { sessionId, count: refused });
  const entry = entries.get(sessionId);
  if (entry?.doc !== doc) return;
  entries.delete(sessionId);
  if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
  for (const c of doc.connections) c.close(CloseCode.AccessChanged, reason === 'closed' ? 'the note was signed or removed; reloading it' : 'the note is reloaded from storage');
  doc.destroy().then(
    () => entry.compaction.finish(),
    (err: unknown) => log.error('a discarded note could not be closed', { sessionId, err }),
  );
}
