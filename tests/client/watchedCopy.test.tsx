import 'fake-indexeddb/auto';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { openWatchedCopy } from '../../client/collab/watchedCopy';

/** What another page of the browser does on a reload of the note (localCopies.ts deleteCopy). */
function deleteFromAnotherPage(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** The note as a page opening the copy later would load it. */
async function textInCopy(name: string): Promise<string> {
  const doc = new Y.Doc();
  const copy = new IndexeddbPersistence(name, doc);
  await copy.whenSynced;
  const text = doc.getText('t').toString();
  await copy.destroy();
  return text;
}

/**
 * A note's copy deleted under an open page (walk, 5 Dec: a reload in one tab left the other's
 * keystrokes unsent): the page hears of it once, a keystroke after it lets go of the copy no longer
 * throws inside the doc's update event, and a new copy of the same name holds what the doc holds.
 */
describe('a copy of the note another page deletes', () => {
  it('is reported once, and a new copy keeps the page’s words', async () => {
    const doc = new Y.Doc();
    const removed: IndexeddbPersistence[] = [];
    const copy = openWatchedCopy('watched:open', doc, (c) => removed.push(c));
    await copy.whenSynced;
    doc.getText('t').insert(0, 'kept ');

    await deleteFromAnotherPage('watched:open');
    expect(removed).toEqual([copy]);
    await copy.destroy();
    expect(() => doc.getText('t').insert(5, 'after')).not.toThrow();

    const again = openWatchedCopy('watched:open', doc, (c) => removed.push(c));
    await again.whenSynced;
    await again.destroy();
    expect(await textInCopy('watched:open')).toBe('kept after');
    expect(removed).toEqual([copy]);
  });
});
