import { describe, expect, it } from 'vitest';
import { generateHOTP } from './hotp.js';
import { RFC6238_ROWS, RFC6238_SEEDS } from './rfc-vectors.js';
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
