import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Folded, FoldInput } from '../../server/collab/compaction';
import { ThreadClient } from '../../server/threads/ThreadClient';

const compactionWorker = new URL('../../server/collab/compactionWorker.ts', import.meta.url);

/** A one-entry log whose fold is a note holding `text`. */
function logOf(text: string): FoldInput {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return { docId: 'note', snapshot: null, tail: [{ seq: 1, at: 0, data: Y.encodeStateAsUpdate(doc) }], resolutionMs: 60_000 };
}

const textOf = (folded: Folded): string => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, folded.state);
  return doc.getText('t').toString();
};

/** Resolves once `done()` holds, checking on each turn of the event loop. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

describe('a thread for occasional work', () => {
  it('ends once idle, and the next request starts a new one that answers', async () => {
    const thread = new ThreadClient<FoldInput, Folded>(compactionWorker, null, { endWhenIdleMs: 1 });
    try {
      expect(textOf(await thread.request(logOf('first')))).toBe('first');
      await until(() => !thread.running);
      expect(textOf(await thread.request(logOf('second')))).toBe('second');
    } finally {
      await thread.close();
    }
  });

  it('without the option, stays after its answers until closed', async () => {
    const thread = new ThreadClient<FoldInput, Folded>(compactionWorker);
    try {
      const answers = await Promise.all(['a', 'b', 'c'].map((t) => thread.request(logOf(t))));
      expect(answers.map(textOf)).toEqual(['a', 'b', 'c']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(thread.running).toBe(true);
    } finally {
      await thread.close();
    }
    expect(thread.running).toBe(false);
  });
});
