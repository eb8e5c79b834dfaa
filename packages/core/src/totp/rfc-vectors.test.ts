import { describe, expect, it } from 'vitest';
import type { TotpAlgorithm } from '../types.js';
import { generateHOTP } from './hotp.js';
import { findTOTPStep, generateTOTP } from './totp.js';

// RFC 4226 Appendix D: secret "12345678901234567890", counters 0…9, 6 digits, SHA1.
const RFC4226_SECRET = new TextEncoder().encode('12345678901234567890');
const RFC4226_CODES = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

// RFC 6238 Appendix B. The seeds are the ASCII digits repeated to the hash's
// block-friendly lengths: 20 bytes (SHA1), 32 (SHA256), 64 (SHA512).
const seed = (length: number): Uint8Array =>
  new TextEncoder().encode('1234567890'.repeat(7).slice(0, length));
const RFC6238_SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  SHA1: seed(20),
  SHA256: seed(32),
  SHA512: seed(64),
};
const RFC6238_ROWS: Array<[seconds: number, algorithm: TotpAlgorithm, code: string]> = [
  [59, 'SHA1', '94287082'],
  [59, 'SHA256', '46119246'],
  [59, 'SHA512', '90693936'],
  [1111111109, 'SHA1', '07081804'],
  [1111111109, 'SHA256', '68084774'],
  [1111111109, 'SHA512', '25091201'],
  [1111111111, 'SHA1', '14050471'],
  [1111111111, 'SHA256', '67062674'],
  [1111111111, 'SHA512', '99943326'],
  [1234567890, 'SHA1', '89005924'],
  [1234567890, 'SHA256', '91819424'],
  [1234567890, 'SHA512', '93441116'],
  [2000000000, 'SHA1', '69279037'],
  [2000000000, 'SHA256', '90698825'],
  [2000000000, 'SHA512', '38618901'],
  [20000000000, 'SHA1', '65353130'],
  [20000000000, 'SHA256', '77737706'],
  [20000000000, 'SHA512', '47863826'],
];

describe('RFC 4226 Appendix D', () => {
  it.each(RFC4226_CODES.map((code, counter) => [counter, code] as const))(
    'counter %i → %s',
    (counter, code) => {
      expect(generateHOTP(RFC4226_SECRET, counter, 6, 'SHA1')).toBe(code);
    },
  );
});

describe('RFC 6238 Appendix B', () => {
  it.each(RFC6238_ROWS)('T=%i %s → %s', (seconds, algorithm, code) => {
    const key = RFC6238_SEEDS[algorithm];
    const options = { timeInMs: seconds * 1000, periodInSeconds: 30, digits: 8 as const, algorithm };
    expect(generateTOTP(key, options)).toBe(code);
    expect(findTOTPStep(key, code, { ...options, window: 1 })).toBe(Math.floor(seconds / 30));
  });

  it('is sensitive to the algorithm: a SHA256 code does not verify as SHA1', () => {
    const options = { timeInMs: 59_000, periodInSeconds: 30, digits: 8 as const, window: 1 };
    expect(findTOTPStep(RFC6238_SEEDS.SHA1, '46119246', { ...options, algorithm: 'SHA1' })).toBeNull();
  });
});
