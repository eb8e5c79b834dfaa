import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Random } from '../ports/clock.js';
import { RECOVERY_CODE_ALPHABET } from './alphabet.js';
import { generateRecoveryCodes } from './generate-recovery-codes.js';
import { normalizeRecoveryCode } from './normalize-recovery-code.js';

const systemRandom: Random = { bytes: (n) => randomBytes(n) };
const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;

describe('RECOVERY_CODE_ALPHABET', () => {
  it('has 32 distinct lowercase symbols without the ambiguous i, l, o, u', () => {
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(32);
    expect(RECOVERY_CODE_ALPHABET).toMatch(/^[0-9a-z]+$/);
    for (const c of 'ilou') expect(RECOVERY_CODE_ALPHABET).not.toContain(c);
  });
});

describe('generateRecoveryCodes', () => {
  it('returns 10 codes formatted as four dash-separated groups of four', () => {
    const codes = generateRecoveryCodes(systemRandom);
    expect(codes).toHaveLength(10);
    for (const code of codes) {
      expect(code).toMatch(FORMAT);
      expect(normalizeRecoveryCode(code)).toBe(code.replaceAll('-', ''));
    }
  });

  it('honours the count', () => {
    expect(generateRecoveryCodes(systemRandom, 3)).toHaveLength(3);
  });

  it('uses 10 random bytes (80 bits) per code, 5 bits per character, most significant first', () => {
    const requested: number[] = [];
    const ones: Random = {
      bytes(n) {
        requested.push(n);
        return new Uint8Array(n).fill(0xff);
      },
    };
    const zeros: Random = { bytes: (n) => new Uint8Array(n) };
    expect(generateRecoveryCodes(zeros, 1)).toEqual(['0000-0000-0000-0000']);
    expect(generateRecoveryCodes(ones, 1)).toEqual(['zzzz-zzzz-zzzz-zzzz']);
    expect(requested).toEqual([10]);
    // Symbols 0…15 packed as sixteen 5-bit values, most significant first.
    let packed = 0n;
    for (let symbol = 0n; symbol < 16n; symbol++) packed = (packed << 5n) | symbol;
    const packedBytes = Uint8Array.from({ length: 10 }, (_, i) =>
      Number((packed >> BigInt(8 * (9 - i))) & 0xffn),
    );
    const counting: Random = { bytes: () => packedBytes };
    expect(generateRecoveryCodes(counting, 1)).toEqual(['0123-4567-89ab-cdef']);
  });

  it('never repeats a code within a set, drawing again on a duplicate', () => {
    const sequence = [0, 0, 1, 1, 2].map((v) => new Uint8Array(10).fill(v));
    let i = 0;
    const repeating: Random = { bytes: () => sequence[i++] ?? new Uint8Array(10).fill(9) };
    const codes = generateRecoveryCodes(repeating, 3);
    expect(new Set(codes).size).toBe(3);
    expect(i).toBe(5);
  });

  it('gives up with CONFIGURATION on a constant Random instead of looping forever', () => {
    const stuck: Random = { bytes: (n) => new Uint8Array(n) };
    expect(() => generateRecoveryCodes(stuck, 2)).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
  });

  it.each([0, -1, 2.5, 101])('rejects count %s with CONFIGURATION', (count) => {
    expect(() => generateRecoveryCodes(systemRandom, count)).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION' }),
    );
  });

  it('uses every symbol at every position with real randomness (no stuck bits)', () => {
    const seen = Array.from({ length: 16 }, () => new Set<string>());
    for (let round = 0; round < 40; round++) {
      for (const code of generateRecoveryCodes(systemRandom, 100)) {
        const chars = code.replaceAll('-', '');
        for (let position = 0; position < chars.length; position++) seen[position]!.add(chars[position]!);
      }
    }
    // 4000 draws per position: P(a given symbol missing) = (31/32)^4000 ≈ 1e-55.
    for (const symbols of seen) expect(symbols.size).toBe(32);
  });
});
