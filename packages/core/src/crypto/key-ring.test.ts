import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MfaError, isMfaError } from '../errors.js';
import { createKeyRing } from './key-ring.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

function thrown(fn: () => unknown): MfaError {
  try {
    fn();
  } catch (error) {
    if (isMfaError(error)) return error;
    throw new Error(`expected an MfaError, got ${String(error)}`);
  }
  throw new Error('expected a throw');
}

/** Flips one bit of the base64url text's decoded bytes at `index`. */
function flipByte(b64: string, index: number): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[index % bytes.length]! ^= 0x01;
  return bytes.toString('base64url');
}

describe('createKeyRing: configuration', () => {
  it('accepts bytes and base64 (standard or URL-safe) keys', () => {
    const ring = createKeyRing({
      keys: { a: k1, b: k2.toString('base64'), c: k2.toString('base64url') },
      currentKeyId: 'b',
    });
    expect(ring.currentKeyId).toBe('b');
    expect(ring.open(ring.seal('x', 'ad'), 'ad')).toBe('x');
  });

  it.each<[string, Record<string, Uint8Array | string>, string, RegExp]>([
    ['a 16-byte key', { a: randomBytes(16) }, 'a', /key "a" must be exactly 32 bytes, got 16/],
    ['a 33-byte key', { a: randomBytes(33) }, 'a', /exactly 32 bytes, got 33/],
    ['a short base64 key', { a: randomBytes(24).toString('base64') }, 'a', /exactly 32 bytes, got 24/],
    ['non-base64 text', { a: 'not base64 at all!' }, 'a', /32 bytes or base64/],
    ['a missing current key', { a: k1 }, 'b', /currentKeyId "b" is not one of the configured keys/],
    ['a key id with a dot', { 'a.b': k1 }, 'a.b', /key id "a\.b" is invalid/],
    ['an empty key id', { '': k1 }, '', /key id "" is invalid/],
    ['a 33-character key id', { ['x'.repeat(33)]: k1 }, 'x'.repeat(33), /is invalid/],
    ['no keys', {}, 'a', /at least one key/],
  ])('rejects %s with CONFIGURATION', (_label, keys, currentKeyId, message) => {
    const error = thrown(() => createKeyRing({ keys, currentKeyId }));
    expect(error.code).toBe('CONFIGURATION');
    expect(error.message).toMatch(message);
  });
});

describe('createKeyRing: sealing', () => {
  const ring = createKeyRing({ keys: { k1 }, currentKeyId: 'k1' });

  it('round-trips any UTF-8 text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (plain, ad) => {
        expect(ring.open(ring.seal(plain, ad), ad)).toBe(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('produces v1.<keyId>.<iv>.<ciphertext+tag> with a fresh 12-byte IV each time', () => {
    const a = ring.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
    const b = ring.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
    const [version, keyId, iv, body] = a.split('.');
    expect([version, keyId]).toEqual(['v1', 'k1']);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(body!, 'base64url')).toHaveLength(16 + 16);
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DP');
  });

  it('uses an injected Random for IVs', () => {
    const fixed = createKeyRing({
      keys: { k1 },
      currentKeyId: 'k1',
      random: { bytes: (n) => new Uint8Array(n) },
    });
    expect(fixed.seal('x', 'ad').split('.')[2]).toBe(Buffer.alloc(12).toString('base64url'));
  });
});

describe('createKeyRing: opening what an attacker or a misconfiguration hands it', () => {
  const ring = createKeyRing({ keys: { k1 }, currentKeyId: 'k1' });
  const sealed = ring.seal('JBSWY3DPEHPK3PXP', 'totp:alice');
  const [v, id, iv, body] = sealed.split('.') as [string, string, string, string];

  it('refuses a ciphertext moved to another user (associated data differs)', () => {
    const error = thrown(() => ring.open(sealed, 'totp:mallory'));
    expect(error.code).toBe('KEY_UNAVAILABLE');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses every single-bit change of IV, ciphertext or tag', () => {
    const ivLength = Buffer.from(iv, 'base64url').length;
    for (let i = 0; i < ivLength; i++) {
      expect(thrown(() => ring.open(`${v}.${id}.${flipByte(iv, i)}.${body}`, 'totp:alice')).code).toBe(
        'KEY_UNAVAILABLE',
      );
    }
    const bodyLength = Buffer.from(body, 'base64url').length;
    for (let i = 0; i < bodyLength; i++) {
      expect(thrown(() => ring.open(`${v}.${id}.${iv}.${flipByte(body, i)}`, 'totp:alice')).code).toBe(
        'KEY_UNAVAILABLE',
      );
    }
  });

  it('refuses a wrong key under the same id, naming the key', () => {
    const other = createKeyRing({ keys: { k1: k2 }, currentKeyId: 'k1' });
    const error = thrown(() => other.open(sealed, 'totp:alice'));
    expect(error.code).toBe('KEY_UNAVAILABLE');
    expect(error.message).toContain('"k1"');
  });

  it('refuses an unknown key id with a message naming it', () => {
    const other = createKeyRing({ keys: { k2 }, currentKeyId: 'k2' });
    const error = thrown(() => other.open(sealed, 'totp:alice'));
    expect(error.code).toBe('KEY_UNAVAILABLE');
    expect(error.message).toContain('"k1" is not configured');
  });

  it.each([
    '',
    'garbage',
    `v2.${id}.${iv}.${body}`,
    `${v}.${id}.${iv}`,
    `${v}.${id}.${iv}.${body}.extra`,
    `${v}.${id}.${iv}.`,
    `${v}.${id}.${iv}.${body.slice(0, 10)}`,
    `${v}.${id}.AAAA.${body}`,
    `${v}.${id}.${iv}.${body}==`,
    `${v}.${id}.${iv}.${body.replace(/.$/, '+')}`,
    `${v}.${id}.${iv}.${body}`.replace('v1', 'V1'),
  ])('refuses malformed %j with KEY_UNAVAILABLE', (text) => {
    expect(thrown(() => ring.open(text, 'totp:alice')).code).toBe('KEY_UNAVAILABLE');
  });

  it('refuses non-string input instead of crashing', () => {
    expect(thrown(() => ring.open(42 as unknown as string, 'totp:alice')).code).toBe('KEY_UNAVAILABLE');
  });
});

describe('createKeyRing: rotation', () => {
  const old = createKeyRing({ keys: { k1 }, currentKeyId: 'k1' });
  const rotated = createKeyRing({ keys: { k1, k2 }, currentKeyId: 'k2' });
  const legacy = old.seal('secret', 'totp:u');

  it('opens values sealed with a previous key and seals new ones with the current key', () => {
    expect(rotated.open(legacy, 'totp:u')).toBe('secret');
    expect(rotated.seal('secret', 'totp:u').startsWith('v1.k2.')).toBe(true);
  });

  it('flags old ciphertexts for reseal and reseals them under the current key', () => {
    expect(rotated.needsReseal(legacy)).toBe(true);
    const fresh = rotated.reseal(legacy, 'totp:u');
    expect(rotated.needsReseal(fresh)).toBe(false);
    expect(fresh.startsWith('v1.k2.')).toBe(true);
    // once resealed, the old key can be retired
    const retired = createKeyRing({ keys: { k2 }, currentKeyId: 'k2' });
    expect(retired.open(fresh, 'totp:u')).toBe('secret');
    expect(thrown(() => retired.open(legacy, 'totp:u')).code).toBe('KEY_UNAVAILABLE');
  });

  it('does not reseal across owners', () => {
    expect(thrown(() => rotated.reseal(legacy, 'totp:other')).code).toBe('KEY_UNAVAILABLE');
  });
});
