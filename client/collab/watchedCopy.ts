import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * Opens this page's copy of a note (y-indexeddb) and says when another page of this browser
 * deletes it under the page (a reload of the note in another tab: CollabConnection's
 * discardLocalCopy; a logout; a removal from the session), or the browser closes it. A deletion
 * asks every open connection to the database to close, and lib0 closes it; y-indexeddb does not
 * notice, and its next write threw "The database connection is closing" from inside the doc's
 * update event, before the websocket provider heard of the change: the other tab's keystrokes were
 * neither sent nor kept, and closing it lost them (walk, 5 Dec). `onRemoved` is called once,
 * after the close.
 */
export function openWatchedCopy(name: string, doc: Y.Doc, onRemoved: (copy: IndexeddbPersistence) => void): IndexeddbPersistence {
  const copy = new IndexeddbPersistence(name, doc);
  copy._db.then(
    (db) => {
      // lib0 set its handler as the database opened, a turn before this one: no event came between.
      const close = db.onversionchange;
      let removed = false;
      const remove = () => {
        if (removed) return;
        removed = true;
        onRemoved(copy);
      };
      db.onversionchange = function (this: IDBDatabase, event: IDBVersionChangeEvent) {
        close?.call(this, event);
        remove();
      };
      // The browser closed it itself (the person cleared the site's data, the disk failed): writing
      // to it throws the same way.
      db.addEventListener('close', remove);
    },
    // A copy that cannot open has nothing to watch.
    () => undefined,
  );
  return copy;
}
