import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import type { TotpAlgorithm } from '../types.js';
import { generateHOTP } from './hotp.js';
import { MAX_TOTP_WINDOW } from '../defaults.js';
import { findTOTPStep, generateTOTP } from './totp.js';

const key = new TextEncoder().encode('12345678901234567890');
const T = 1_700_000_000_000; // epoch ms, step 56_666_666 (+ 20 s into it)
const base = { periodInSeconds: 30, digits: 6 as const, algorithm: 'SHA1' as const };
const stepOf = (ms: number): number => Math.floor(ms / 30_000);

describe('generateTOTP', () => {
  it('is HOTP with the time step as counter', () => {
    expect(generateTOTP(key, { ...base, timeInMs: T })).toBe(generateHOTP(key, stepOf(T), 6, 'SHA1'));
  });

  it('honours a custom period', () => {
    const code60 = generateTOTP(key, { ...base, periodInSeconds: 60, timeInMs: T });
    expect(code60).toBe(generateHOTP(key, Math.floor(T / 60_000), 6, 'SHA1'));
  });

  it('rejects an unusable period or time with CONFIGURATION', () => {
    for (const options of [
      { ...base, periodInSeconds: 0, timeInMs: T },
      { ...base, periodInSeconds: 1.5, timeInMs: T },
      { ...base, timeInMs: Number.NaN },
      { ...base, timeInMs: -1 },
    ]) {
      expect(() => generateTOTP(key, options)).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
    }
  });
});

describe('findTOTPStep window', () => {
  const codeAt = (offsetSteps: number): string =>
    generateTOTP(key, { ...base, timeInMs: T + offsetSteps * 30_000 });
  const find = (code: unknown, window = 1): number | null =>
    findTOTPStep(key, code, { ...base, timeInMs: T, window });

  it('accepts the current step and one step either side by default, returning the matched step', () => {
    expect(find(codeAt(0))).toBe(stepOf(T));
    expect(find(codeAt(-1))).toBe(stepOf(T) - 1);
    expect(find(codeAt(1))).toBe(stepOf(T) + 1);
  });

  it('rejects codes two steps away with the default window', () => {
    expect(find(codeAt(-2))).toBeNull();
    expect(find(codeAt(2))).toBeNull();
  });

  it('accepts ±2 with window 2 and only the current step with window 0', () => {
    expect(find(codeAt(-2), 2)).toBe(stepOf(T) - 2);
    expect(find(codeAt(2), 2)).toBe(stepOf(T) + 2);
    expect(find(codeAt(1), 0)).toBeNull();
    expect(find(codeAt(0), 0)).toBe(stepOf(T));
  });

  it('never returns a negative step near the epoch', () => {
    const code = generateTOTP(key, { ...base, timeInMs: 0 });
    expect(findTOTPStep(key, code, { ...base, timeInMs: 0, window: 1 })).toBe(0);
  });

  it('rejects an out-of-range window with CONFIGURATION', () => {
    for (const window of [-1, 0.5, MAX_TOTP_WINDOW + 1, Number.POSITIVE_INFINITY]) {
      let caught: unknown;
      try {
        find(codeAt(0), window);
      } catch (error) {
        caught = error;
      }
      expect(isMfaError(caught, 'CONFIGURATION')).toBe(true);
    }
  });
});

describe('findTOTPStep bad input (attacker-controlled code)', () => {
  const valid = generateTOTP(key, { ...base, timeInMs: T });
  const find = (code: unknown): number | null => findTOTPStep(key, code, { ...base, timeInMs: T, window: 1 });
  const toArabicIndic = (digits: string): string =>
    [...digits].map((d) => String.fromCharCode(0x0660 + Number(d))).join('');
  const toFullwidth = (digits: string): string =>
    [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');

  it.each<[string, unknown]>([
    ['a number', Number(valid)],
    ['null', null],
    ['undefined', undefined],
    ['an object', { toString: () => valid }],
    ['an array', [valid]],
    ['7 digits', `${valid}0`],
    ['5 digits', valid.slice(1)],
    ['padded with spaces', ` ${valid}`],
    ['Arabic-Indic digits', toArabicIndic(valid)],
    ['fullwidth digits', toFullwidth(valid)],
    ['a 10 kB string', valid.repeat(1700)],
    ['a signed number string', `+${valid.slice(1)}`],
    ['an empty string', ''],
  ])('%s → null without throwing', (_label, code) => {
    expect(find(code)).toBeNull();
  });

  it('rejects an 8-digit code when 6 digits are configured even if it ends with the right code', () => {
    const eight = generateTOTP(key, { ...base, digits: 8, timeInMs: T });
    expect(find(eight)).toBeNull();
  });
});

describe('findTOTPStep properties', () => {
  const algorithms: TotpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
  const options = fc.record({
    key: fc.uint8Array({ minLength: 16, maxLength: 64 }),
    timeInMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    digits: fc.constantFrom<6 | 8>(6, 8),
    algorithm: fc.constantFrom(...algorithms),
    periodInSeconds: fc.constantFrom(15, 30, 60),
  });

  it('finds the step of the time a code was generated for', () => {
    fc.assert(
      fc.property(options, ({ key, ...o }) => {
        const code = generateTOTP(key, o);
        expect(findTOTPStep(key, code, { ...o, window: 1 })).toBe(
          Math.floor(o.timeInMs / 1000 / o.periodInSeconds),
        );
      }),
    );
  });

  it('arbitrary strings never throw and, when accepted, are the code of the returned step', () => {
    fc.assert(
      fc.property(options, fc.oneof(fc.string(), fc.stringMatching(/^\d{6,8}$/)), ({ key, ...o }, code) => {
        const step = findTOTPStep(key, code, { ...o, window: 1 });
        if (step !== null) {
          expect(generateHOTP(key, step, o.digits, o.algorithm)).toBe(code);
          expect(Math.abs(step - Math.floor(o.timeInMs / 1000 / o.periodInSeconds))).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
