import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { COMPACTION_STEP_ENTRIES } from '../../server/collab/compaction';
import { CompactionSchedule } from '../../server/collab/compactionSchedule';
import { createLocalCompactionLock } from '../../server/locks/CompactionLock';
import { createLogger } from '../../server/log';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import type { NewLogEntry } from '../../server/persistence/ports';
import { deferCleanup } from '../helpers/services';
import { tempDir } from '../helpers/startTestServer';

const DOC = 'compaction-steps-doc';

describe('compaction of a long log', () => {
  it('folds a log of more than two steps completely before a note unloads, one step at a time', async () => {
    const store = await openSqliteStore(path.join(tempDir(), 'tandem.db'));
    deferCleanup(() => store.close());
    // A note typed faster than it was folded: two and a quarter steps of keystrokes, one entry each.
    const count = COMPACTION_STEP_ENTRIES * 2 + COMPACTION_STEP_ENTRIES / 4;
    const source = new Y.Doc();
    const entries: NewLogEntry[] = [];
    source.on('update', (data: Uint8Array) => entries.push({ at: 1_000 + entries.length * 10, accountId: null, data, bindings: [] }));
    const text = source.getText('note');
    for (let i = 0; i < count; i++) text.insert(text.length, String.fromCharCode(97 + (i % 26)));
    await store.docs.append(DOC, entries);

    const steps: number[] = [];
    const log = createLogger('debug', (line) => {
      const fields = JSON.parse(line) as { msg: string; n_rowsBefore?: number };
      if (fields.msg === 'note compacted') steps.push(fields.n_rowsBefore!);
    });
    const schedule = new CompactionSchedule({ store: store.docs, log, compactAfterUpdates: 500, historyResolutionMs: 1_000, lock: createLocalCompactionLock() });
    const note = schedule.forNote(DOC);
    note.stored(count);
    await note.finish();

    expect(steps).toEqual([COMPACTION_STEP_ENTRIES, COMPACTION_STEP_ENTRIES, COMPACTION_STEP_ENTRIES / 4]);
    const loaded = await store.docs.load(DOC);
    expect(loaded.tail).toEqual([]);
    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, loaded.snapshot!.data);
    expect(reopened.getText('note').toString()).toBe(text.toString());
  });
});
