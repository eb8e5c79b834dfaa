import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyedHasher } from './keyed-hash.js';

describe('createKeyedHasher', () => {
  const key = randomBytes(32);
  const hasher = createKeyedHasher(key);

  it('is base64url(HMAC-SHA256(key, purpose \\0 value))', () => {
    const expected = createHmac('sha256', key).update('recovery:u1\0abcd').digest('base64url');
    expect(hasher.hash('recovery:u1', 'abcd')).toBe(expected);
    expect(hasher.hash('recovery:u1', 'abcd')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('binds the hash to purpose and owner', () => {
    expect(hasher.hash('recovery:u1', 'code')).not.toBe(hasher.hash('recovery:u2', 'code'));
    expect(hasher.hash('recovery:u1', 'code')).not.toBe(hasher.hash('sms:u1', 'code'));
  });

  it('keeps the purpose/value boundary unambiguous', () => {
    expect(hasher.hash('a:b', 'c')).not.toBe(hasher.hash('a', 'b:c'));
    expect(hasher.hash('ab', 'c')).not.toBe(hasher.hash('a', 'bc'));
  });

  it('depends on the key (a leaked table cannot be checked without it)', () => {
    expect(createKeyedHasher(randomBytes(32)).hash('p', 'v')).not.toBe(hasher.hash('p', 'v'));
  });

  it('takes string keys as UTF-8 bytes', () => {
    const text = 'a passphrase that is longer than 32 bytes';
    expect(createKeyedHasher(text).hash('p', 'v')).toBe(
      createKeyedHasher(Buffer.from(text, 'utf8')).hash('p', 'v'),
    );
  });

  it.each<[string, Uint8Array | string]>([
    ['31 bytes', randomBytes(31)],
    ['a short string', 'too short'],
    ['an empty string', ''],
  ])('rejects %s with CONFIGURATION', (_label, badKey) => {
    expect(() => createKeyedHasher(badKey)).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
  });
});
