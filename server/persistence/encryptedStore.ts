import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { DocStore, LogEntry, SessionStore, Store } from './ports';

/**
 * Encrypted blobs start with 0xFF 0x00, which never starts a Yjs update (lib0 writes minimal
 * varints, and 0xFF 0x00 is a non-minimal one), so plaintext written before encryption was turned
 * on still reads, and the two can be told apart without a flag column.
 */
const MAGIC = Buffer.from([0xff, 0x00]);
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptionKeys {
  /** Encrypts everything written. */
  current: Buffer;
  /** Still decrypt what they wrote (during a key rotation). */
  previous: Buffer[];
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);

/** Parses a base64 key of 32 bytes, with a message an operator can act on. */
export function parseKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded (openssl rand -base64 32); got ${key.length} bytes`);
  return key;
}

/** AES-256-GCM sealing of note blobs with a fresh IV each, and opening with any configured key. */
function createSealer(keys: EncryptionKeys): { seal(data: Uint8Array): Uint8Array; open(blob: Uint8Array): Uint8Array } {
  const byId = new Map([keys.current, ...keys.previous].map((k) => [keyId(k).toString('hex'), k]));
  const currentId = keyId(keys.current);

  const seal = (data: Uint8Array): Uint8Array => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', keys.current, iv);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([MAGIC, currentId, iv, cipher.getAuthTag(), body]);
  };

  const open = (blob: Uint8Array): Uint8Array => {
    const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return blob;
    let at = MAGIC.length;
    const id = buf.subarray(at, (at += KEY_ID_BYTES)).toString('hex');
    const key = byId.get(id);
    if (!key) throw new Error(`stored note data is encrypted with a key that is not configured (key id ${id}); add it to TANDEM_ENCRYPTION_PREVIOUS_KEYS`);
    const iv = buf.subarray(at, (at += IV_BYTES));
    const tag = buf.subarray(at, (at += TAG_BYTES));
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(buf.subarray(at)), decipher.final()]));
  };
  return { seal, open };
}

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
