import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECOVERY_CODE_ALPHABET } from './alphabet.js';
import { formatRecoveryCode, normalizeRecoveryCode } from './normalize-recovery-code.js';

const canonical = 'kaypmz3pke5v5j1h';

describe('normalizeRecoveryCode', () => {
  it.each([
    ['kayp-mz3p-ke5v-5j1h', 'the displayed form'],
    ['KAYP-MZ3P-KE5V-5J1H', 'upper case'],
    ['kaypmz3pke5v5j1h', 'no dashes'],
    ['kayp mz3p ke5v 5j1h', 'spaces'],
    ['  kayp-mz3p ke5v5j1h\t', 'mixed separators and surrounding whitespace'],
    ['kayp--mz3p---ke5v-5j1h-', 'extra dashes'],
    ['k-a-y-p-m-z-3-p-k-e-5-v-5-j-1-h', 'a dash between every character'],
    ['kayp-mz3p-ke5v-5jlh', 'l typed for 1'],
    ['kayp-mz3p-ke5v-5jIh', 'I typed for 1'],
  ])('accepts %j (%s)', (input) => {
    expect(normalizeRecoveryCode(input)).toBe(canonical);
  });

  it('reads o as 0', () => {
    expect(normalizeRecoveryCode('OOOO-oooo-0000-0000')).toBe('0'.repeat(16));
  });

  it.each<[string, unknown]>([
    ['a number', 1234567890123456],
    ['null', null],
    ['an object', { toString: () => canonical }],
    ['an array', [canonical]],
    ['15 characters', canonical.slice(1)],
    ['17 characters', `${canonical}a`],
    ['a u (not in the alphabet)', 'uayp-mz3p-ke5v-5j1h'],
    ['punctuation', 'kayp_mz3p_ke5v_5j1h'],
    ['a 10 kB string', canonical.repeat(640)],
    ['65 characters of separators and a valid code', `${'-'.repeat(49)}${canonical}`],
    ['fullwidth letters', 'ｋａｙｐ-mz3p-ke5v-5j1h'],
    ['a Kelvin sign (lower-cases to k)', '\u212aayp-mz3p-ke5v-5j1h'],
    ['Arabic-Indic digits', 'kayp-mz\u0663p-ke5v-5j1h'],
    ['an empty string', ''],
  ])('rejects %s', (_label, input) => {
    expect(normalizeRecoveryCode(input)).toBeNull();
  });

  it('normalize(format(x)) === x for every canonical code', () => {
    const code = fc
      .array(fc.constantFrom(...RECOVERY_CODE_ALPHABET), { minLength: 16, maxLength: 16 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(code, (x) => {
        expect(normalizeRecoveryCode(formatRecoveryCode(x))).toBe(x);
        expect(normalizeRecoveryCode(formatRecoveryCode(x).toUpperCase())).toBe(x);
      }),
    );
  });

  it('never throws and only ever returns a canonical code or null', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.anything()), (input) => {
        const out = normalizeRecoveryCode(input);
        if (out !== null) {
          expect(out).toHaveLength(16);
          for (const c of out) expect(RECOVERY_CODE_ALPHABET).toContain(c);
        }
      }),
    );
  });
});

describe('formatRecoveryCode', () => {
  it('groups by four with dashes', () => {
    expect(formatRecoveryCode(canonical)).toBe('kayp-mz3p-ke5v-5j1h');
  });
});
