import type { Random } from '../ports/clock.js';
import type { SmsChallenge } from '../types.js';
import type { MfaContext } from './context.js';

const UINT32_RANGE = 2 ** 32;

/**
 * A uniformly random numeric code. Rejection sampling over 32-bit values
 * removes the modulo bias a plain `% 10^n` would have (NIST SP 800-63B
 * §5.1.3.2 wants codes from an approved random source, with no bias).
 */
export function generateNumericCode(random: Random, digits: number): string {
  const modulus = 10 ** digits;
  const limit = Math.floor(UINT32_RANGE / modulus) * modulus;
  for (;;) {
    const bytes = random.bytes(4);
    const value =
      (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
    if (value < limit) return String(value % modulus).padStart(digits, '0');
  }
}

/** The submitted SMS code in canonical form (ASCII digits, spaces removed), or null when it can't be a code. */
export function normalizeSmsCode(input: unknown, digits: number): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const compact = input.replace(/[\s-]/g, '');
  return compact.length === digits && /^[0-9]+$/.test(compact) ? compact : null;
}

/** Keyed hash of an SMS code, bound to the user and the purpose so a setup code can't sign in. */
export function hashSmsCode(
  mfa: MfaContext,
  userId: string,
  purpose: SmsChallenge['purpose'],
  code: string,
): string {
  return mfa.hasher.hash(`sms:${userId}:${purpose}`, code);
}
