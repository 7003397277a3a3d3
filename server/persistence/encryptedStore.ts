import type { DocStore, LogEntry, SessionStore, Store } from './ports';
import { createSealer, type EncryptionKeys } from './sealer';

/**
 * Wraps a store so note content is written encrypted: the update log, snapshots, and the template
 * a new session starts with. Ids, times and sequence numbers stay in the clear: they are what the
 * store orders and compacts by.
 */
export function encryptStore(store: Store, keys: EncryptionKeys): Store {
  const { seal, open } = createSealer(keys);
  const inner = store.docs;
  const openEntry = (e: LogEntry): LogEntry => ({ ...e, data: open(e.data) });

  const docs: DocStore = {
    load: async (docId) => {
      const { snapshot, tail } = await inner.load(docId);
      return { snapshot: snapshot && { uptoSeq: snapshot.uptoSeq, data: open(snapshot.data), meta: snapshot.meta && open(snapshot.meta) }, tail: tail.map(openEntry) };
    },
    append: (docId, entries) => inner.append(docId, entries.map((e) => ({ ...e, data: seal(e.data) }))),
    readLog: async (docId, afterSeq) => (await inner.readLog(docId, afterSeq)).map(openEntry),
    compact: (docId, snapshot, merged, afterSeq) =>
      inner.compact(docId, { uptoSeq: snapshot.uptoSeq, data: seal(snapshot.data), meta: snapshot.meta && seal(snapshot.meta) }, merged.map((e) => ({ ...e, data: seal(e.data) })), afterSeq),
    stats: (docId) => inner.stats(docId),
  };
  const sessions: SessionStore = {
    ...store.sessions,
    create: (session, member, initial) => store.sessions.create(session, member, initial && { ...initial, data: seal(initial.data) }),
  };
  return { ...store, docs, sessions };
}
