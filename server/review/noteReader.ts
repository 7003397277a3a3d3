import type { CollabServer } from '../collab/CollabServer';
import { unavailable } from '../domain/errors';
import type { Logger } from '../log';
import type { DocStore } from '../persistence/ports';
import { ThreadClient } from '../threads/ThreadClient';
import type { NoteParts, NoteReadingRequest, ReadingInput, ReadingName, ReadingResult } from './noteReadings';
import { readingAdmission } from './readingAdmission';
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
  /** Admits a request of `accountId` that reads whole notes, or refuses it (readingAdmission.ts); returns the release. */
  admit(accountId: string): () => void;
}

/**
 * Heap of the note-reading thread (MB). A review of a crafted paragraph of 100,000 formatting runs
 * fits many times over; a reading that needs more ends the thread, not the process.
 */
export const READING_HEAP_MB = 1024;

/**
 * How long the thread stays after its last reading (ms). Starting it takes about a quarter of a
 * second, which the next review, signature or comment would wait for; while people work in notes
 * they read one every few minutes.
 */
const READER_IDLE_MS = 5 * 60_000;

/**
 * Readings run one at a time on one worker thread at background priority (serveThread.ts), so a
 * note that takes seconds to read delays other readings, never keystrokes. The thread starts with
 * the first reading and ends after a while without one; `close` stops it. A reading that needs
 * more than `heapMb` of heap is refused (503 `note_too_large`) and said to the operator.
 */
export function threadedNoteReader(docs: DocStore, collab: Pick<CollabServer, 'loaded'>, log: Logger, heapMb = READING_HEAP_MB): NoteReader & { close(): Promise<void> } {
  const thread = new ThreadClient<NoteReadingRequest, unknown>(new URL('./noteReaderWorker.ts', import.meta.url), null, {
    endWhenIdleMs: READER_IDLE_MS,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  const read = async <K extends ReadingName>(parts: NoteParts, reading: K, input: ReadingInput<K>): Promise<ReadingResult<K>> => {
    try {
      return (await thread.request({ parts, reading, input })) as ReadingResult<K>;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
      log.warn(`a note reading (${reading}) needed more than the reading thread's ${heapMb} MB of heap; it was stopped`, { bytes: parts.reduce((n, p) => n + p.byteLength, 0) });
      throw unavailable('note_too_large', 'This note is too large to be read whole; nothing was changed. The operator has been told.');
    }
  };
  const stored = async (sessionId: string, until?: number) => {
    // Storage failing: said now (503), not once the outage is over.
    if (until === undefined) await collab.loaded(sessionId)?.persist.stored();
    return storedNoteParts(docs, sessionId, until);
  };
  const admission = readingAdmission();
  return {
    admit: (accountId) => admission.admit(accountId),
    stored,
    read,
    readStored: <K extends ReadingName>(sessionId: string, reading: K, input: ReadingInput<K>): Promise<ReadingResult<K>> => stored(sessionId).then((parts) => read(parts, reading, input)),
    close: () => thread.close(),
  };
}
