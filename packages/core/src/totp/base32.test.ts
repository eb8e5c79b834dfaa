import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import { decodeBase32, encodeBase32 } from './base32.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('base32 (RFC 4648 §10 test vectors, unpadded)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j ↔ %s', (plain, encoded) => {
    expect(encodeBase32(bytes(plain))).toBe(encoded);
    expect(decodeBase32(encoded)).toEqual(bytes(plain));
  });

  it('decodes padded, lower-case, spaced and dashed input', () => {
    expect(decodeBase32('MZXW6YQ=')).toEqual(bytes('foob'));
    expect(decodeBase32('mzxw 6ytb-oi')).toEqual(bytes('foobar'));
    expect(decodeBase32('MZXW6YTBOI======')).toEqual(bytes('foobar'));
  });

  it.each(['MZXW1', 'MZXW0', 'MZ_W6', 'MZXW6\u00e9', 'MZXW\u0661'])('rejects %j with VALIDATION', (text) => {
    let caught: unknown;
    try {
      decodeBase32(text);
    } catch (error) {
      caught = error;
    }
    expect(isMfaError(caught, 'VALIDATION')).toBe(true);
  });

  it('round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (data) => {
        const encoded = encodeBase32(data);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(decodeBase32(encoded)).toEqual(data);
      }),
    );
  });

  it('maps all-zero and all-one bits to the first and last symbols (20 bytes → 32 characters)', () => {
    expect(encodeBase32(new Uint8Array(20).fill(0xff))).toBe('7'.repeat(32));
    expect(encodeBase32(new Uint8Array(20))).toBe('A'.repeat(32));
  });
});
