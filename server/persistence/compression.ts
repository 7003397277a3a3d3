import { promisify } from 'node:util';
import { constants as zlibConstants, deflate, deflateSync, inflateSync } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The stored form of a note's larger blobs (snapshots, their meta, history entries):
 *
 *   0xFE 0x00 | codec (1 byte) | original length (varuint, bytes) | compressed bytes
 *
 * 0xFE 0x00 is a non-minimal varint, which lib0 never writes, so it never starts a Yjs update or
 * a snapshot meta (both begin with a varint), nor a sealed blob (0xFF 0x00, sealer.ts): blobs
 * stored before compression, and blobs too small to compress, are stored as they are and read as
 * they are, without a flag column or a migration. Codec 1 is zlib (RFC 1950): deflate with an
 * Adler-32 of the original, so a damaged blob fails to decompress instead of giving other bytes
 * (raw deflate and brotli carry no check). The original length bounds what inflating may produce.
 */
const MAGIC = [0xfe, 0x00] as const;
const CODEC_ZLIB = 1;

/**
 * Blobs under this many bytes are stored as they are: deflate saves little on them (its header and
 * checksum are 6 bytes), and a second of ordinary typing is an update of a few dozen bytes, so
 * this spares compaction a zlib call per history entry of a slowly typed note.
 */
export const MIN_COMPRESS_BYTES = 256;

/**
 * Blobs over this many bytes are stored as they are, and a compressed blob that declares more is
 * refused as damaged: a damaged length cannot make a read allocate gigabytes. A note this large
 * is ~1,000 times the automerge-paper trace's whole snapshot. Never lower it: what was stored
 * under it must stay readable.
 */
const MAX_COMPRESS_BYTES = 256 * 1024 * 1024;

/** Inflating allocates its output in chunks of this size at most (a known length up to it: at once). */
const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * zlib level 4 (of 1–9): on the automerge-paper trace's snapshot (311 KB) 0.35 of the size in
 * ~4.7 ms of a core; level 6 (zlib's default) 0.34 in ~10 ms, level 1 0.38 in ~3.4 ms. Every
 * compaction compresses the whole snapshot again.
 */
const LEVEL = 4;

const deflateAsync = promisify(deflate);

/** A stored blob that carries the compression marker but does not decompress to what it declares. */
export class CorruptBlobError extends Error {
  override readonly name = 'CorruptBlobError';
}

/** Whether `blob` is in the compressed form above (it may still be damaged). */
export const isCompressed = (blob: Uint8Array): boolean => blob.length >= 2 && blob[0] === MAGIC[0] && blob[1] === MAGIC[1];

/**
 * The stored form of `data`: compressed when that makes it smaller, else `data` itself. Runs zlib
 * on libuv's thread pool, so a long note's snapshot does not hold the event loop.
 */
export async function compressBlob(data: Uint8Array): Promise<Uint8Array> {
  if (data.byteLength < MIN_COMPRESS_BYTES || data.byteLength > MAX_COMPRESS_BYTES) return data;
  const body = await deflateAsync(data, { level: LEVEL });
  const e = encoding.createEncoder();
  encoding.writeUint8(e, MAGIC[0]);
  encoding.writeUint8(e, MAGIC[1]);
  encoding.writeUint8(e, CODEC_ZLIB);
  encoding.writeVarUint(e, data.byteLength);
  const header = encoding.toUint8Array(e);
  if (header.byteLength + body.byteLength >= data.byteLength) return data;
  const out = new Uint8Array(header.byteLength + body.byteLength);
  out.set(header);
  out.set(body, header.byteLength);
  return out;
}

/**
 * The bytes `blob` stands for: decompressed when it is in the compressed form, else `blob` as it
 * is. Synchronous: inflating is fast (the 311 KB snapshot: under 1 ms) and is on the path of
 * opening a note. Throws CorruptBlobError when a compressed blob does not decompress, or not to
 * its declared length; never returns other bytes than were stored.
 */
export function decompressBlob(blob: Uint8Array): Uint8Array {
  if (!isCompressed(blob)) return blob;
  try {
    const d = decoding.createDecoder(blob);
    decoding.skip8(d);
    decoding.skip8(d);
    const codec = decoding.readUint8(d);
    if (codec !== CODEC_ZLIB) throw new Error(`unknown codec ${codec}`);
    const length = decoding.readVarUint(d);
    if (length > MAX_COMPRESS_BYTES) throw new Error(`declared length ${length} is out of range`);
    // One output buffer of the declared size instead of 16 KiB chunks joined (the 311 KB snapshot: 1.0 ms, not 1.3).
    const out = inflateSync(blob.subarray(d.pos), { maxOutputLength: Math.max(length, 1), chunkSize: Math.min(Math.max(length, zlibConstants.Z_MIN_CHUNK), MAX_CHUNK_BYTES) });
    if (out.byteLength !== length) throw new Error(`decompressed to ${out.byteLength} bytes, not the declared ${length}`);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    throw new CorruptBlobError(`a compressed blob does not decompress: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Inflates a few bytes once, so the first note a process opens from its compressed snapshot does
 * not also pay for zlib's first use (~2 ms of a core more on the trace's snapshot: the cold open
 * of a note is the path this must not slow). Called when the store opens.
 */
export function warmUpDecompression(): void {
  inflateSync(deflateSync(new Uint8Array(MIN_COMPRESS_BYTES)));
}
