import type { EnrolResult, TotpEnrolment } from '../api.js';
import { MfaError } from '../errors.js';
import { createTOTPKeyURI, decodeBase32, findTOTPStep, generateTOTPSecret } from '../totp/index.js';
import type { MfaUser, RequestContext } from '../types.js';
import { runAttempt } from './attempt.js';
import { assertUser } from './assert-user.js';
import { type MfaContext, totpAssociatedData } from './context.js';
import { issueRecoveryCodes } from './recovery-codes.js';

/**
 * Starts TOTP enrolment: a fresh secret from the injected randomness, sealed
 * for this user (the caller keeps `sealedSecret`, e.g. in the session). Only
 * for users without TOTP: replacing a secret goes through disable or an
 * admin reset, so a stolen session can't silently swap the authenticator.
 */
export async function beginTotpEnrolment(mfa: MfaContext, user: MfaUser): Promise<TotpEnrolment> {
  assertUser(user);
  const record = await mfa.backend.store.getRecord(user.id);
  if (record?.totp) throw new MfaError('ALREADY_ENROLLED');
  const { algorithm, digits, periodInSeconds, secretBytes } = mfa.options.totp;
  const secret = generateTOTPSecret(mfa.options.random, secretBytes);
  return {
    secret,
    sealedSecret: mfa.sealer.seal(secret, totpAssociatedData(user.id)),
    uri: createTOTPKeyURI({
      issuer: mfa.options.issuer,
      accountName: user.label ?? user.id,
      secret,
      algorithm,
      digits,
      periodInSeconds,
    }),
    algorithm,
    digits,
    periodInSeconds,
  };
}

/**
 * Confirms TOTP enrolment. The code goes through the same atomic attempt as a
 * sign-in (family `totp`), so its step becomes the last accepted one: the
 * enrolment code can't be replayed as the first sign-in code (RFC 6238 §5.2).
 * A sealed secret that is not this user's (tampered, swapped, or from a
 * retired key) is a VALIDATION error, not a crash.
 */
export async function confirmTotpEnrolment(
  mfa: MfaContext,
  user: MfaUser,
  sealedSecret: string,
  code: unknown,
  ctx: RequestContext,
): Promise<EnrolResult> {
  assertUser(user);
  let secret: string;
  try {
    if (typeof sealedSecret !== 'string' || sealedSecret.length > 4096)
      throw new TypeError('not a sealed secret');
    secret = mfa.sealer.open(sealedSecret, totpAssociatedData(user.id));
  } catch (cause) {
    throw new MfaError('VALIDATION', {
      message: 'The enrolment has expired or is invalid. Start the set-up again.',
      fields: { enrolment: 'The enrolment has expired or is invalid. Start the set-up again.' },
      cause,
    });
  }
  const now = mfa.now();
  const record = await mfa.backend.store.getRecord(user.id);
  if (record?.totp) throw new MfaError('ALREADY_ENROLLED');
  const { algorithm, digits, periodInSeconds, window } = mfa.options.totp;
  const step = findTOTPStep(decodeBase32(secret), code, {
    timeInMs: now,
    periodInSeconds,
    digits,
    algorithm,
    window,
  });
  const subject = {
    user,
    ctx: ctx ?? {},
    family: 'totp' as const,
    factor: 'totp' as const,
    malformed: false,
  };
  // The code is checked against the new secret, not a stored factor: the limiter counts the outcome, and
  // the accepted step is stored with the new factor (its first used step) so the code can't be replayed.
  const outcome = await runAttempt(mfa, subject, { type: 'outcome', success: step !== null }, now);
  if (!outcome.ok || step === null)
    return outcome.ok ? { ok: false, code: 'INVALID_CODE', remaining: 0 } : outcome;

  // A set-up begun before a key rotation is stored under the current key.
  const stored = mfa.sealer.needsReseal(sealedSecret)
    ? mfa.sealer.seal(secret, totpAssociatedData(user.id))
    : sealedSecret;
  // Only if the user still has no TOTP factor (atomic in the store): a parallel enrolment or import is never replaced.
  const set = await mfa.backend.store.setTotp(
    user.id,
    {
      sealedSecret: stored,
      algorithm,
      digits,
      periodInSeconds,
      enrolledAt: now,
    },
    { usedStep: step, onlyIfAbsent: true },
  );
  if (!set) throw new MfaError('ALREADY_ENROLLED');
  const recoveryCodes =
    (record?.recoveryCodesRemaining ?? 0) > 0 ? null : await issueRecoveryCodes(mfa, user.id);
  await mfa.events.emit('ENROLLED', { factor: 'totp' }, { user, ctx });
  return { ok: true, factor: 'totp', recoveryCodes };
}
