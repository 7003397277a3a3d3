import type { CollabServer } from '../collab/CollabServer';
import type { DocStore } from '../persistence/ports';
import { IDLE_THREAD_MS, ThreadClient } from '../threads/ThreadClient';
import type { NoteParts, NoteReadingRequest, ReadingInput, ReadingName, ReadingResult } from './noteReadings';
import { storedNoteParts } from './sessionNote';

/** Reads whole stored notes off the event loop (noteReadings.ts says why and what). */
export interface NoteReader {
  /**
   * The note as stored now, after what this process still holds for it is stored (so a reading
   * sees every confirmed edit, and the authorship bindings read after it cover them all); with
   * `until` (ms), its log entries up to then.
   */
  stored(sessionId: string, until?: number): Promise<NoteParts>;
  read<K extends ReadingName>(parts: NoteParts, reading: K, input: ReadingInput<K>): Promise<ReadingResult<K>>;
  /** `read` of the note as stored now. */
  readStored<K extends ReadingName>(sessionId: string, reading: K, input: ReadingInput<K>): Promise<ReadingResult<K>>;
}

/**
 * Readings run one at a time on one worker thread at background priority (serveThread.ts), so a
 * note that takes seconds to read delays other readings, never keystrokes. The thread starts with
 * the first reading and ends after a while without one; `close` stops it.
 */
export function threadedNoteReader(docs: DocStore, collab: Pick<CollabServer, 'loaded'>): NoteReader & { close(): Promise<void> } {
  const thread = new ThreadClient<NoteReadingRequest, unknown>(new URL('./noteReaderWorker.ts', import.meta.url), null, { endWhenIdleMs: IDLE_THREAD_MS });
  const read = async <K extends ReadingName>(parts: NoteParts, reading: K, input: ReadingInput<K>): Promise<ReadingResult<K>> =>
    (await thread.request({ parts, reading, input })) as ReadingResult<K>;
  const stored = async (sessionId: string, until?: number) => {
    if (until === undefined) await collab.loaded(sessionId)?.persist.drain();
    return storedNoteParts(docs, sessionId, until);
  };
  return {
    stored,
    read,
    readStored: <K extends ReadingName>(sessionId: string, reading: K, input: ReadingInput<K>): Promise<ReadingResult<K>> => stored(sessionId).then((parts) => read(parts, reading, input)),
    close: () => thread.close(),
  };
}
