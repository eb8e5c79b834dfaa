import { createHmac } from 'node:crypto';
import { MfaError } from '../errors.js';
import type { TotpAlgorithm } from '../types.js';

/** node:crypto digest names for the RFC 6238 §1.2 algorithms. */
const HMAC_NAME: Partial<Record<string, string>> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** 10^digits for the two supported code lengths. */
const MODULUS: Partial<Record<number, number>> = { 6: 1_000_000, 8: 100_000_000 };

/**
 * Computes the raw HOTP value (before zero-padding) for one counter:
 * HMAC over the counter as an 8-byte big-endian integer (RFC 4226 §5.1),
 * then dynamic truncation (RFC 4226 §5.3) and `mod 10^digits`.
 * Internal helper shared by {@link generateHOTP} and TOTP verification so
 * both paths compute codes the same way. `scratch` (8 bytes) lets a caller
 * computing several steps reuse one buffer for the counter.
 */
export function computeHOTPValue(
  key: Uint8Array,
  counter: number,
  digits: 6 | 8,
  algorithm: TotpAlgorithm,
  scratch: Buffer = Buffer.allocUnsafe(8),
): number {
  const hmacName = HMAC_NAME[algorithm];
  const modulus = MODULUS[digits];
  // Types already forbid other values; this guards JavaScript callers and
  // unvalidated configuration from silently producing "NaN" codes.
  if (hmacName === undefined || modulus === undefined) {
    throw new MfaError('CONFIGURATION', {
      message: 'TOTP/HOTP needs algorithm SHA1, SHA256 or SHA512 and 6 or 8 digits.',
      cause: new RangeError(`algorithm ${String(algorithm)}, digits ${String(digits)}`),
    });
  }
  const message = scratch;
  // Counters exceed 2^32 only for absurd times; split into two 32-bit halves
  // instead of BigInt so the hot path stays cheap.
  message.writeUInt32BE(Math.floor(counter / 0x1_0000_0000) >>> 0, 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const digest = createHmac(hmacName, key).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary =
    ((digest[offset]! & 0x7f) << 24) |
    (digest[offset + 1]! << 16) |
    (digest[offset + 2]! << 8) |
    digest[offset + 3]!;
  return binary % modulus;
}

/**
 * Generates an HOTP code (RFC 4226 §5.3) as a zero-padded decimal string.
 *
 * @param key raw secret bytes (not base32)
 * @param counter the moving factor, a non-negative safe integer
 * @param digits code length; RFC 4226 §5.3 requires at least 6
 * @param algorithm HMAC hash; RFC 4226 uses SHA1, RFC 6238 §1.2 allows SHA256/SHA512
 * @throws MfaError `VALIDATION` when the counter is negative or not a safe integer,
 * `CONFIGURATION` for an unsupported algorithm or digit count.
 */
export function generateHOTP(
  key: Uint8Array,
  counter: number,
  digits: 6 | 8,
  algorithm: TotpAlgorithm,
): string {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new MfaError('VALIDATION', {
      message: 'HOTP counter must be a non-negative safe integer.',
      cause: new RangeError(`counter ${counter} is out of range`),
    });
  }
  return computeHOTPValue(key, counter, digits, algorithm).toString().padStart(digits, '0');
}
