import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from '../../server/persistence/sealer';

const key = () => randomBytes(32);

describe('sealing typed text', () => {
  it('writes enc:v1:<key id>:<base64>, a fresh ciphertext each time, and reads it back', () => {
    const sealer = createSealer({ current: key(), previous: [] });
    const a = sealer.sealText('M2 said she felt calmer — ünïcode');
    const b = sealer.sealText('M2 said she felt calmer — ünïcode');
    expect(a).toMatch(/^enc:v1:[0-9a-f]{8}:[A-Za-z0-9+/]+={0,2}$/);
    expect(a).not.toBe(b);
    expect(sealer.openText(a)).toBe('M2 said she felt calmer — ünïcode');
    expect(sealer.openText(sealer.sealText(''))).toBe('');
  });

  it('passes text written before encryption through, including text that only starts like a sealed value', () => {
    const sealer = createSealer({ current: key(), previous: [] });
    for (const plain of ['Tuesday group', 'enc:v1: a title about encodings', 'enc:v1:zzzzzzzz:abc']) expect(sealer.openText(plain)).toBe(plain);
  });

  it('opens with a previous key during a rotation, and refuses a key it does not have, naming the setting', () => {
    const old = key();
    const sealed = createSealer({ current: old, previous: [] }).sealText('returned: sign after the addendum');
    expect(createSealer({ current: key(), previous: [old] }).openText(sealed)).toBe('returned: sign after the addendum');
    expect(() => createSealer({ current: key(), previous: [] }).openText(sealed)).toThrow(/TANDEM_ENCRYPTION_PREVIOUS_KEYS/);
  });

  it('refuses a sealed value that was altered', () => {
    const sealer = createSealer({ current: key(), previous: [] });
    const sealed = sealer.sealText('addendum text');
    const body = Buffer.from(sealed.slice(sealed.lastIndexOf(':') + 1), 'base64');
    body[body.length - 1]! ^= 1;
    expect(() => sealer.openText(`${sealed.slice(0, sealed.lastIndexOf(':') + 1)}${body.toString('base64')}`)).toThrow();
  });
});
