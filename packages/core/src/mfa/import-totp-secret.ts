import type { ImportTotpSecretInput, ImportTotpSecretResult } from '../api.js';
import { MfaError } from '../errors.js';
import type { Actor } from '../events.js';
import { decodeBase32, encodeBase32, getTOTPStep } from '../totp/index.js';
import type { MfaUser, TotpAlgorithm } from '../types.js';
import { assertUser } from './assert-user.js';
import { type MfaContext, totpAssociatedData } from './context.js';

/** RFC 4226 §4 R6: "The length of the shared secret MUST be at least 128 bits." */
const RFC_MIN_SECRET_BYTES = 16;
/** 80 bits: otplib 12's `authenticator.generateSecret()` and passport-totp's examples (`randomKey(10)`). */
const LEGACY_MIN_SECRET_BYTES = 10;
const MAX_SECRET_BYTES = 128;
const ALGORITHMS: readonly TotpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

function invalid(field: string, message: string): MfaError {
  return new MfaError('VALIDATION', { message, fields: { [field]: message } });
}

/** The raw key bytes: base32 text (what otplib and `otpauth://` URIs hold) or the bytes themselves. */
function secretBytes(secret: unknown): Uint8Array {
  if (secret instanceof Uint8Array) return new Uint8Array(secret);
  if (typeof secret === 'string' && secret.length <= 1024) return decodeBase32(secret);
  throw invalid('secret', 'secret must be base32 text or the key bytes (Uint8Array / Buffer)');
}

/**
 * Imports a TOTP secret the app already holds (passport-totp, a hand-rolled
 * otplib set-up) as the user's TOTP factor, so users keep their
 * authenticator entry and nobody seals secrets by hand or burns a code to
 * enrol. The factor keeps the old parameters (algorithm, digits, period);
 * the current step and the `totp.window` steps after it count as used, so a
 * code the old system accepted during the switch-over (its own window
 * included) can't be replayed here; the user's first sign-in waits at most
 * `window + 1` periods. Refused with ALREADY_ENROLLED when
 * the user has TOTP (reset first: importing never replaces a factor).
 * Records ENROLLED with `imported: true` and the actor.
 */
export async function importTotpSecret(
  mfa: MfaContext,
  actor: Actor,
  user: MfaUser,
  input: ImportTotpSecretInput,
): Promise<ImportTotpSecretResult> {
  assertUser(user);
  if (input === null || typeof input !== 'object') throw invalid('input', 'input must be an object');
  const bytes = secretBytes(input.secret);
  const minimum = input.allowShortSecret === true ? LEGACY_MIN_SECRET_BYTES : RFC_MIN_SECRET_BYTES;
  if (bytes.length < minimum || bytes.length > MAX_SECRET_BYTES) {
    throw invalid(
      'secret',
      `secret must be ${minimum}–${MAX_SECRET_BYTES} bytes (it is ${bytes.length}); RFC 4226 §4 requires at least 16` +
        (input.allowShortSecret === true ? '' : ' (pass allowShortSecret for 10–15-byte legacy secrets)'),
    );
  }
  const algorithm = input.algorithm ?? mfa.options.totp.algorithm;
  if (!ALGORITHMS.includes(algorithm)) throw invalid('algorithm', 'algorithm must be SHA1, SHA256 or SHA512');
  const digits = input.digits ?? mfa.options.totp.digits;
  if (digits !== 6 && digits !== 8) throw invalid('digits', 'digits must be 6 or 8');
  const periodInSeconds = input.periodInSeconds ?? mfa.options.totp.periodInSeconds;
  if (!Number.isInteger(periodInSeconds) || periodInSeconds < 1 || periodInSeconds > 300)
    throw invalid('periodInSeconds', 'periodInSeconds must be an integer from 1 to 300');
  const now = mfa.now();
  // The factor's `enrolledAt` is its identity in TOTP decisions (a decision matched against a
  // factor applies only to that factor): always the import's own time, never a caller's value, so
  // a re-import after a reset can't take the identity of the factor it replaces.
  const enrolledAt = now;

  // An old verifier with a window accepted steps up to `window` ahead of now: those count as used too.
  const usedStep = getTOTPStep(now, periodInSeconds) + mfa.options.totp.window;
  // Set only if the user has no TOTP factor, in the store's one atomic step: a parallel import or
  // enrolment is never replaced.
  const set = await mfa.backend.store.setTotp(
    user.id,
    {
      sealedSecret: mfa.sealer.seal(encodeBase32(bytes), totpAssociatedData(user.id)),
      algorithm,
      digits,
      periodInSeconds,
      enrolledAt,
    },
    { usedStep, onlyIfAbsent: true },
  );
  bytes.fill(0);
  if (!set) throw new MfaError('ALREADY_ENROLLED');
  await mfa.events.emit('ENROLLED', { factor: 'totp', imported: true }, { user, actor });
  return { imported: true, usedStep };
}
