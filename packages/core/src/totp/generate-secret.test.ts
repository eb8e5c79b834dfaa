import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import type { Random } from '../ports/clock.js';
import { decodeBase32 } from './base32.js';
import { generateTOTPSecret } from './generate-secret.js';

/** Deterministic "randomness" so tests are reproducible; never use outside tests. */
function seededRandom(seed: string): Random {
  let counter = 0;
  return {
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 32) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        out.set(block.subarray(0, Math.min(32, length - i)), i);
      }
      return out;
    },
  };
}

describe('generateTOTPSecret', () => {
  it('defaults to 160 bits encoded as 32 base32 characters', () => {
    const secret = generateTOTPSecret(seededRandom('a'));
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeBase32(secret)).toHaveLength(20);
  });

  it('uses exactly the injected bytes', () => {
    const random = seededRandom('b');
    const expected = seededRandom('b').bytes(32);
    expect(decodeBase32(generateTOTPSecret(random, 32))).toEqual(expected);
  });

  it('differs between calls', () => {
    const random = seededRandom('c');
    expect(generateTOTPSecret(random)).not.toBe(generateTOTPSecret(random));
  });

  it.each([0, 10, 16, 19, 20.5, 1000])(
    'rejects %s bytes (below 160 bits, fractional, huge) with CONFIGURATION',
    (bytes) => {
      let caught: unknown;
      try {
        generateTOTPSecret(seededRandom('d'), bytes);
      } catch (error) {
        caught = error;
      }
      expect(isMfaError(caught, 'CONFIGURATION')).toBe(true);
    },
  );

  it('rejects a Random that returns too few bytes', () => {
    expect(() => generateTOTPSecret({ bytes: () => new Uint8Array(4) })).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION' }),
    );
  });
});
