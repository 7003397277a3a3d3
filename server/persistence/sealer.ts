import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypted blobs start with 0xFF 0x00, which never starts a Yjs update (lib0 writes minimal
 * varints, and 0xFF 0x00 is a non-minimal one), so plaintext written before encryption was turned
 * on still reads, and the two can be told apart without a flag column.
 */
const MAGIC = Buffer.from([0xff, 0x00]);
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypted text is `enc:v1:<key id, 8 hex digits>:<base64 of IV, tag, ciphertext>`: still text, so
 * it fits the TEXT and JSON columns it replaces, and plain text written before encryption was turned
 * on (which has no such prefix) reads as it is. The whole value must match, not only the prefix.
 */
const SEALED_TEXT = /^enc:v1:([0-9a-f]{8}):([A-Za-z0-9+/]+={0,2})$/;

export interface EncryptionKeys {
  /** Encrypts everything written. */
  current: Buffer;
  /** Still decrypt what they wrote (during a key rotation). */
  previous: Buffer[];
}

/** Seals with the current key; opens what any configured key sealed, and passes plaintext through. */
export interface Sealer {
  seal(data: Uint8Array): Uint8Array;
  open(blob: Uint8Array): Uint8Array;
  sealText(text: string): string;
  openText(text: string): string;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);

/**
 * Stored data sealed with a key this server was not given: a configuration fault for the operator
 * (storage itself is fine), so it is not answered as "storage unavailable".
 */
export class KeyNotConfiguredError extends Error {
  override readonly name = 'KeyNotConfiguredError';
  constructor(keyId: string) {
    super(`stored data is encrypted with a key that is not configured (key id ${keyId}); add it to TANDEM_ENCRYPTION_PREVIOUS_KEYS`);
  }
}

/** Parses a base64 key of 32 bytes, with a message an operator can act on. */
export function parseKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded (openssl rand -base64 32); got ${key.length} bytes`);
  return key;
}

/** AES-256-GCM with a fresh IV for every value, so equal plaintexts never give equal ciphertexts. */
export function createSealer(keys: EncryptionKeys): Sealer {
  const byId = new Map([keys.current, ...keys.previous].map((k) => [keyId(k).toString('hex'), k]));
  const currentId = keyId(keys.current);

  /** IV, tag and ciphertext of `data` under the current key. */
  const encrypt = (data: Uint8Array): Buffer => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', keys.current, iv);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  };

  const decrypt = (id: string, sealed: Buffer): Buffer => {
    const key = byId.get(id);
    if (!key) throw new KeyNotConfiguredError(id);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  };

  return {
    seal: (data) => Buffer.concat([MAGIC, currentId, encrypt(data)]),
    open: (blob) => {
      const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
      if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return blob;
      const id = buf.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES).toString('hex');
      return new Uint8Array(decrypt(id, buf.subarray(MAGIC.length + KEY_ID_BYTES)));
    },
    sealText: (text) => `enc:v1:${currentId.toString('hex')}:${encrypt(Buffer.from(text, 'utf8')).toString('base64')}`,
    openText: (text) => {
      const sealed = SEALED_TEXT.exec(text);
      return sealed ? decrypt(sealed[1]!, Buffer.from(sealed[2]!, 'base64')).toString('utf8') : text;
    },
  };
}
