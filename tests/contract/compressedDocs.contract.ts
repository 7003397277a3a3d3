import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactDoc } from '../../server/collab/compaction';
import { decodeSnapshotMeta } from '../../server/collab/snapshotMeta';
import { compressStore } from '../../server/persistence/compressedStore';
import { CorruptBlobError, compressBlob, isCompressed } from '../../server/persistence/compression';
import { encryptStore } from '../../server/persistence/encryptedStore';
import type { LogEntry, NewLogEntry, Store, StoredDoc } from '../../server/persistence/ports';

/**
 * Notes as the server stores them (createStore): compaction's output compressed, under
 * encryption when it is on. `open` returns a new handle on the backend's database, as the adapter
 * writes it: what the stored bytes are, and how a server before compression wrote them.
 */
export function compressedDocsContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store, notes compressed`, () => {
    let raw: Store;
    beforeAll(async () => {
      raw = await open();
    });
    afterAll(async () => {
      await raw.close();
    });
    const keys = { current: randomBytes(32), previous: [] };
    const ways: [string, () => Store][] = [
      ['compressed', () => compressStore(raw)],
      ['compressed, then sealed', () => compressStore(encryptStore(raw, keys))],
    ];

    for (const [way, wrapped] of ways) {
      it(`compacts into smaller stored bytes that read back as the same note and history (${way})`, async () => {
        const store = wrapped();
        const docId = randomUUID();
        const { doc, entries } = typedNote(400, 1_000, 20);
        await store.docs.append(docId, entries);
        await compactDoc(store.docs, docId, 1_000);
        const loaded = await store.docs.load(docId);
        expect(textOf(loaded)).toBe(doc.getText('note').toString());
        expect(decodeSnapshotMeta(loaded.snapshot!.meta!).clocks).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)));
        expect(textOf({ snapshot: null, tail: await store.docs.readLog(docId) })).toBe(doc.getText('note').toString());

        const stored = await raw.docs.load(docId);
        const state = Y.encodeStateAsUpdate(docOf(loaded));
        expect(stored.snapshot!.data.byteLength).toBeLessThan(state.byteLength / 2);
        if (way === 'compressed') expect(isCompressed(stored.snapshot!.data)).toBe(true);
        else expect(Buffer.from(stored.snapshot!.data.subarray(0, 2))).toEqual(Buffer.from([0xff, 0x00]));
      });
    }

    it('reads notes stored before compression, and compacts them on', async () => {
      const store = compressStore(raw);
      const docId = randomUUID();
      const { doc, entries } = typedNote(200, 1_000, 20);
      // As a server before compression left it: the adapter's bytes are the Yjs updates themselves.
      await raw.docs.append(docId, entries);
      await compactDoc(raw.docs, docId, 1_000);
      const before = await raw.docs.load(docId);
      expect(isCompressed(before.snapshot!.data)).toBe(false);
      expect(await store.docs.load(docId)).toEqual(before);
      expect(await store.docs.readLog(docId)).toEqual(await raw.docs.readLog(docId));

      const more = typedNote(200, 10_000, 20, doc);
      await store.docs.append(docId, more.entries);
      await compactDoc(store.docs, docId, 1_000);
      expect(textOf(await store.docs.load(docId))).toBe(doc.getText('note').toString());
      expect(textOf({ snapshot: null, tail: await store.docs.readLog(docId) })).toBe(doc.getText('note').toString());
    });

    it('refuses a stored blob that does not decompress, naming where it is, and changes nothing', async () => {
      const store = compressStore(raw);
      const docId = randomUUID();
      const { entries } = typedNote(200, 1_000, 20);
      await raw.docs.append(docId, entries);
      const log = await raw.docs.readLog(docId);
      const last = log.at(-1)!;
      const good = await compressBlob(Y.mergeUpdates(log.map((e) => e.data)));
      const damaged = new Uint8Array(good);
      damaged[damaged.length - 3]! ^= 0xff;
      await raw.docs.compact(docId, { uptoSeq: last.seq, data: damaged, meta: null }, [{ ...last, data: damaged }], 0);
      await raw.docs.append(docId, typedNote(3, 50_000, 20).entries);
      const stored = { doc: await raw.docs.load(docId), log: await raw.docs.readLog(docId) };

      await expect(store.docs.load(docId)).rejects.toThrow(CorruptBlobError);
      await expect(store.docs.load(docId)).rejects.toThrow(new RegExp(`note ${docId}, snapshot up to ${last.seq}`));
      await expect(store.docs.readLog(docId)).rejects.toThrow(new RegExp(`note ${docId}, log entry ${last.seq}`));
      // Compaction reads before it writes: it fails, and the damaged note is left for a person to look at.
      await expect(compactDoc(store.docs, docId, 1_000)).rejects.toThrow(CorruptBlobError);
      expect(await raw.docs.load(docId)).toEqual(stored.doc);
      expect(await raw.docs.readLog(docId)).toEqual(stored.log);
    });
  });
}

/** `count` typed phrases (every fifth deleting a few characters), one update each, `stepMs` apart from `start`. */
function typedNote(count: number, start: number, stepMs: number, into = new Y.Doc()): { doc: Y.Doc; entries: NewLogEntry[] } {
  const entries: NewLogEntry[] = [];
  let at = start;
  const record = (data: Uint8Array) => entries.push({ at: (at += stepMs), accountId: null, data });
  into.on('update', record);
  const text = into.getText('note');
  for (let i = 0; i < count; i++) {
    if (i % 5 === 4) text.delete(text.length - 6, 4);
    else text.insert(text.length, `the client described week ${i} as calmer; `);
  }
  into.off('update', record);
  return { doc: into, entries };
}

function docOf(stored: { snapshot: StoredDoc['snapshot']; tail: LogEntry[] }): Y.Doc {
  const doc = new Y.Doc();
  for (const part of [...(stored.snapshot ? [stored.snapshot.data] : []), ...stored.tail.map((e) => e.data)]) Y.applyUpdate(doc, part);
  return doc;
}

const textOf = (stored: { snapshot: StoredDoc['snapshot']; tail: LogEntry[] }): string => docOf(stored).getText('note').toString();
