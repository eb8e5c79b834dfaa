import { MfaError } from '../errors.js';
import type { Random } from '../ports/clock.js';
import { DEFAULT_TOTP_SECRET_BYTES, MIN_TOTP_SECRET_BYTES } from '../defaults.js';
import { encodeBase32 } from './base32.js';

/**
 * Generates a fresh TOTP secret from the injected randomness, base32-encoded
 * (no padding) as authenticator apps expect it.
 *
 * @param random cryptographically secure randomness (injected for tests)
 * @param bytes secret length; default 20 (160 bits, RFC 4226 §4 R6)
 * @throws MfaError `CONFIGURATION` when `bytes` is below 20 (160 bits) or not an integer.
 */
export function generateTOTPSecret(random: Random, bytes: number = DEFAULT_TOTP_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOTP_SECRET_BYTES || bytes > 128) {
    throw new MfaError('CONFIGURATION', {
      message: `TOTP secrets must be between ${MIN_TOTP_SECRET_BYTES} and 128 bytes (RFC 4226 §4 R6 recommends 160 bits).`,
      cause: new RangeError(`secret length ${bytes}`),
    });
  }
  const secret = random.bytes(bytes);
  if (secret.length !== bytes) {
    throw new MfaError('CONFIGURATION', {
      message: 'The Random source returned the wrong number of bytes.',
      cause: new RangeError(`asked for ${bytes}, got ${secret.length}`),
    });
  }
  return encodeBase32(secret);
}
