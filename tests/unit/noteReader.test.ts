/**
 * The note-reading thread (server/review/noteReader.ts): whole-note readings are made there, and
 * one that needs more heap than the thread has is refused and said to the operator, without taking
 * the process's memory; the next reading is made on a new thread.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { createStore } from '../../server/persistence/createStore';
import { threadedNoteReader } from '../../server/review/noteReader';
import { noteFrom } from '../../server/review/noteReadings';
import { noteDigest } from '../../server/review/sessionNote';
import { appendParagraph } from '../helpers/connectClient';
import { formattedRuns } from '../helpers/craft';
import { tempDir } from '../helpers/startTestServer';
import { deferCleanup } from '../helpers/services';

/** Enough heap for the thread to start and read a short note, not a paragraph of 100,000 formatted runs. */
const HEAP_MB = 48;

describe('the note-reading thread', async () => {
  const store = await createStore({ dataDir: tempDir(), databaseUrl: null, encryption: null }, createLogger('silent'));
  deferCleanup(() => store.close());
  const warnings: string[] = [];
  const log = createLogger('warn', (line) => warnings.push(line));

  it('makes a reading of the note as stored', async () => {
    const reader = threadedNoteReader(store.docs, { loaded: () => undefined }, log);
    deferCleanup(() => reader.close());
    const typed = new Y.Doc();
    appendParagraph(typed, 'M2 went quiet when her father came up');
    await store.docs.append('note-1', [{ at: Date.now(), accountId: null, data: Y.encodeStateAsUpdate(typed) }]);
    const parts = await reader.stored('note-1');
    expect(await reader.read(parts, 'digest', undefined)).toBe(noteDigest(noteFrom(parts)));
  });

  it('refuses a reading that needs more heap than the thread has, says so to the operator, and makes the next one', async () => {
    const reader = threadedNoteReader(store.docs, { loaded: () => undefined }, log, HEAP_MB);
    deferCleanup(() => reader.close());
    await expect(reader.read([formattedRuns(100_000)], 'riskFlagged', [])).rejects.toMatchObject({ kind: 'unavailable', code: 'note_too_large' });
    expect(warnings.some((w) => w.includes('needed more than the reading thread'))).toBe(true);
    expect(await reader.read([formattedRuns(10)], 'riskFlagged', ['M1'])).toEqual([]);
  });
});
