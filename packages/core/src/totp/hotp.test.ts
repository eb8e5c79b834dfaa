import { describe, expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import { generateHOTP } from './hotp.js';

const key = new TextEncoder().encode('12345678901234567890');

describe('generateHOTP', () => {
  it('zero-pads codes to the requested length', () => {
    // Search a counter whose value is below 10^5 to prove padding happens.
    let found = false;
    for (let counter = 0; counter < 200 && !found; counter++) {
      const code = generateHOTP(key, counter, 6, 'SHA1');
      expect(code).toMatch(/^\d{6}$/);
      found = code.startsWith('0');
    }
    expect(found).toBe(true);
  });

  it('encodes counters above 2^32 as 8-byte big-endian (not truncated to 32 bits)', () => {
    const high = 2 ** 32 + 5;
    expect(generateHOTP(key, high, 8, 'SHA1')).not.toBe(generateHOTP(key, 5, 8, 'SHA1'));
  });

  it('8 digits are the 6-digit code with two more leading digits of the same truncated value', () => {
    const six = generateHOTP(key, 3, 6, 'SHA256');
    const eight = generateHOTP(key, 3, 8, 'SHA256');
    expect(eight.endsWith(six)).toBe(true);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects counter %s with a VALIDATION error', (counter) => {
    let caught: unknown;
    try {
      generateHOTP(key, counter, 6, 'SHA1');
    } catch (error) {
      caught = error;
    }
    expect(isMfaError(caught, 'VALIDATION')).toBe(true);
  });
});

describe('generateHOTP misconfiguration from JavaScript callers', () => {
  it.each<[string, unknown, unknown]>([
    ['7 digits', 7, 'SHA1'],
    ['MD5', 6, 'MD5'],
    ['lower-case sha1', 6, 'sha1'],
  ])('%s → CONFIGURATION instead of a "NaN" code', (_label, digits, algorithm) => {
    expect(() => generateHOTP(key, 1, digits as 6, algorithm as 'SHA1')).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION' }),
    );
  });
});
