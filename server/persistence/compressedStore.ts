import { compressBlob, CorruptBlobError, decompressBlob, warmUpDecompression } from './compression';
import type { DocSnapshot, DocStore, LogEntry, Store } from './ports';

/**
 * Wraps a store so that what compaction writes of a note (the snapshot, its meta, the history
 * entries) is stored compressed (compression.ts), and every blob read is decompressed when it was.
 * It must wrap the encrypted store, not be wrapped by it: sealed bytes do not compress.
 *
 * Appends stay as they are: each is a keystroke or a few (tens of bytes, under the size worth
 * compressing), on the path to "Saved", and compaction replaces them within a few hundred updates.
 *
 * With encryption at rest, a compressed blob's sealed length says a little about how repetitive
 * its content is, which the length of an uncompressed one does not; only ids, times and such
 * lengths are readable without the key either way.
 */
export function compressStore(store: Store): Store {
  warmUpDecompression();
  return { ...store, docs: compressedDocs(store.docs) };
}

/** `blob` decompressed; the error for one that does not decompress names its note and its place in it. */
function opened(blob: Uint8Array, docId: string, where: string): Uint8Array {
  try {
    return decompressBlob(blob);
  } catch (err) {
    if (err instanceof CorruptBlobError) throw new CorruptBlobError(`note ${docId}, ${where}: ${err.message}`, { cause: err });
    throw err;
  }
}

function compressedDocs(inner: DocStore): DocStore {
  const openEntry = (docId: string) => (e: LogEntry): LogEntry => ({ ...e, data: opened(e.data, docId, `log entry ${e.seq}`) });
  const openSnapshot = (docId: string, s: DocSnapshot): DocSnapshot => ({
    uptoSeq: s.uptoSeq,
    data: opened(s.data, docId, `snapshot up to ${s.uptoSeq}`),
    meta: s.meta && opened(s.meta, docId, `snapshot meta up to ${s.uptoSeq}`),
  });
  return {
    load: async (docId, tailLimit) => {
      const { snapshot, tail } = await inner.load(docId, tailLimit);
      return { snapshot: snapshot && openSnapshot(docId, snapshot), tail: tail.map(openEntry(docId)) };
    },
    append: (docId, entries) => inner.append(docId, entries),
    readLog: async (docId, afterSeq) => (await inner.readLog(docId, afterSeq)).map(openEntry(docId)),
    logTimes: (docId) => inner.logTimes(docId),
    compact: async (docId, snapshot, merged, afterSeq) => {
      // One at a time: each zlib stream holds ~200 KB from the moment it is asked for (2,000 at
      // once: +390 MB), and a note left uncompacted for long folds into thousands of entries.
      const data = await compressBlob(snapshot.data);
      const meta = snapshot.meta && (await compressBlob(snapshot.meta));
      const entries: LogEntry[] = [];
      for (const e of merged) entries.push({ ...e, data: await compressBlob(e.data) });
      await inner.compact(docId, { uptoSeq: snapshot.uptoSeq, data, meta }, entries, afterSeq);
    },
    // Bytes as stored: compressed where compaction compressed them.
    stats: (docId) => inner.stats(docId),
  };
}
