import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSnapshotMeta } from '../../server/collab/snapshotMeta';
import { compressBlob, CorruptBlobError, decompressBlob, isCompressed, MIN_COMPRESS_BYTES } from '../../server/persistence/compression';
import { createSealer } from '../../server/persistence/sealer';

/** A note typed and partly deleted: its updates, its state and its snapshot meta. */
function typedNote(words: number): { updates: Uint8Array[]; state: Uint8Array; meta: Uint8Array } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('note');
  for (let i = 0; i < words; i++) {
    text.insert(text.length, `Client said session ${i} went better than the last. `);
    if (i % 5 === 4) text.delete(text.length - 20, 8);
  }
  return { updates, state: Y.encodeStateAsUpdate(doc), meta: encodeSnapshotMeta(doc) };
}

describe('compressed note blobs', () => {
  it('stores a large update smaller, marked, and reads back the same bytes', async () => {
    const { state, meta } = typedNote(400);
    for (const original of [state, meta]) {
      const stored = await compressBlob(original);
      if (original.byteLength >= 4 * MIN_COMPRESS_BYTES) expect(stored.byteLength).toBeLessThan(original.byteLength / 2);
      expect(isCompressed(stored)).toBe(stored !== original);
      expect(decompressBlob(stored)).toEqual(original);
    }
    expect(isCompressed(await compressBlob(state))).toBe(true);
  });

  it('stores small and incompressible blobs as they are', async () => {
    const small = typedNote(1).state;
    expect(small.byteLength).toBeLessThan(MIN_COMPRESS_BYTES);
    expect(await compressBlob(small)).toBe(small);
    const noise = randomBytes(10_000);
    noise[0] = 0; // a Yjs update never starts with the marker; noise must not either
    expect(await compressBlob(noise)).toBe(noise);
  });

  it('reads blobs stored before compression (every Yjs update and meta) as they are', () => {
    const { updates, state, meta } = typedNote(60);
    for (const plain of [...updates, state, meta, Y.encodeStateAsUpdate(new Y.Doc()), Y.mergeUpdates(updates)]) {
      expect(isCompressed(plain)).toBe(false);
      expect(decompressBlob(plain)).toBe(plain);
    }
  });

  it('is told apart from a sealed blob, and is what gets sealed (compressed, then sealed)', async () => {
    const sealer = createSealer({ current: randomBytes(32), previous: [] });
    const stored = await compressBlob(typedNote(200).state);
    const sealed = sealer.seal(stored);
    expect(isCompressed(sealed)).toBe(false);
    expect(decompressBlob(sealer.open(sealed))).toEqual(decompressBlob(stored));
  });

  it('refuses a damaged compressed blob with CorruptBlobError instead of other bytes', async () => {
    const stored = await compressBlob(typedNote(200).state);
    const flipped = new Uint8Array(stored);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x10;
    const truncated = stored.subarray(0, stored.length - 10);
    const unknownCodec = new Uint8Array(stored);
    unknownCodec[2] = 9;
    // The declared length says more (or less) than the stream holds.
    const body = deflateSync(Buffer.from('a'.repeat(1000)));
    const longer = Uint8Array.from([0xfe, 0x00, 1, 0xe9, 0x07, ...body]); // declares 1001
    const shorter = Uint8Array.from([0xfe, 0x00, 1, 0xe7, 0x07, ...body]); // declares 999
    const huge = Uint8Array.from([0xfe, 0x00, 1, 0x80, 0x80, 0x80, 0x80, 0x04, ...body]); // declares 1 GiB: refused before inflating
    for (const bad of [flipped, truncated, unknownCodec, longer, shorter, huge, Uint8Array.from([0xfe, 0x00]), Uint8Array.from([0xfe, 0x00, 1])]) {
      expect(() => decompressBlob(bad)).toThrow(CorruptBlobError);
    }
  });
});
