import type { CarriedFactors, VerifyResult } from '../api.js';
import { normalizeRecoveryCode } from '../recovery-codes/index.js';
import { decodeBase32, findTOTPStep } from '../totp/index.js';
import type { AttemptCheck, FactorType, MfaRecord, MfaUser, RequestContext, TotpFactor } from '../types.js';
import { claimAddressSlot, settleAddressSlot } from './address-budget.js';
import { type AttemptOutcome, type AttemptSubject, runAttempt } from './attempt.js';
import { assertUser } from './assert-user.js';
import { type MfaContext, phoneAssociatedData, totpAssociatedData } from './context.js';
import { checkGate } from './limiter-gate.js';
import { hashSmsCode, normalizeSmsCode } from './sms-code.js';
import { providerCheckFailure } from './sms-send.js';
import { isProgrammingError } from './fail-closed.js';
import { MfaError } from '../errors.js';

/** The matched time step of `code` for a stored TOTP factor, or null (never throws on bad input). */
export function findStepForFactor(
  mfa: MfaContext,
  userId: string,
  factor: TotpFactor,
  code: unknown,
  now: number,
) {
  const secret = mfa.sealer.open(factor.sealedSecret, totpAssociatedData(userId));
  return findTOTPStep(decodeBase32(secret), code, {
    timeInMs: now,
    periodInSeconds: factor.periodInSeconds,
    digits: factor.digits,
    algorithm: factor.algorithm,
    window: mfa.options.totp.window,
  });
}

/** Keyed hash of a normalised recovery code, bound to its user. */
export function hashRecoveryCode(mfa: MfaContext, userId: string, canonical: string): string {
  return mfa.hasher.hash(`recovery:${userId}`, canonical);
}

/**
 * The check of a TOTP code against the factor a challenge carried
 * ({@link CarriedFactors}): the matched step or none, bound to that factor's
 * `enrolledAt`, so the decision refuses the code if the factor is no longer
 * the user's. Null when it carried none or it can't be opened (a key since
 * removed): then the record is read as without it.
 */
function carriedTotpCheck(
  mfa: MfaContext,
  userId: string,
  carried: CarriedFactors | undefined,
  code: unknown,
  now: number,
): (AttemptCheck & { type: 'totp' }) | null {
  const factor = carried?.totp;
  if (factor == null) return null;
  try {
    const step = findStepForFactor(mfa, userId, factor, code, now);
    return { type: 'totp', step, enrolledAt: factor.enrolledAt };
  } catch {
    return null;
  }
}

/**
 * Verifies a second factor (sign-in, and the proof for disable). The record
 * is read while a slot of the address's second-factor budget is reserved
 * (charge first, in parallel: no extra round trip); an address over its
 * budget gets no evaluation at all. The code is turned into a check in Node
 * (TOTP step, keyed hash), then ONE atomic `store.attempt` decides
 * lock/cooldown/replay/consumption and counts. The slot is given back unless
 * a wrong code was actually evaluated (refund on success).
 *
 * A TOTP code with the factor the challenge carried skips the record read:
 * it is checked against that factor and the decision is bound to its
 * `enrolledAt` (see {@link CarriedFactors}), so once that factor is no longer
 * the user's every code of this pending sign-in is refused. A code that
 * matched has its address slot only checked for room (an address over its
 * budget is still refused before any evaluation) and taken afterwards if the
 * decision refused it, so a success costs neither a slot nor a refund.
 *
 * With `startSuccessEvent`, a TOTP or SMS success is answered once the
 * decision accepted it, the append of its event sent and handed over as
 * `recorded` for the caller to await beside its own writes (verify's
 * `successEvent: 'started'`).
 */
export async function verifyFactor(
  mfa: MfaContext,
  user: MfaUser,
  factor: FactorType,
  code: unknown,
  ctx: RequestContext,
  carried?: CarriedFactors,
  startSuccessEvent = false,
): Promise<VerifyResult> {
  assertUser(user);
  if (factor !== 'totp' && factor !== 'sms' && factor !== 'recovery')
    return { ok: false, code: 'NOT_ENROLLED' };
  const now = mfa.now();
  const fromCarried = factor === 'totp' ? carriedTotpCheck(mfa, user.id, carried, code, now) : null;
  // A code that matched the carried factor usually succeeds: its address slot is only checked for room
  // (and taken afterwards if the decision refuses it), so a success costs no slot and no refund.
  const matched = fromCarried !== null && fromCarried.step !== null;
  const [record, slot] = await Promise.all([
    fromCarried === null ? mfa.backend.store.getRecord(user.id) : null,
    claimAddressSlot(mfa, ctx, now, !matched),
  ]);
  if (slot !== null && !slot.reservation.allowed)
    return { ok: false, code: 'COOLDOWN', retryAfterMs: slot.reservation.retryAfterMs };
  let failed = false;
  const subject = {
    user,
    ctx: ctx ?? {},
    factor,
    malformed: false,
    onEvaluatedFailure: () => {
      failed = true;
    },
  };
  // A store failure keeps a reserved slot (the attempt may have run): fail closed. A slot only checked
  // for room stays untaken: that code matched the factor, it is no guess.
  const outcome =
    fromCarried === null
      ? await decideFactor(mfa, user, factor, code, record, subject, now)
      : await runAttempt(mfa, { ...subject, family: 'totp' }, fromCarried, now);
  const settled = settleAddressSlot(mfa, slot, failed, { user, ctx: ctx ?? {} }, now);
  const remaining = fromCarried !== null ? carried?.recoveryCodesRemaining : record?.recoveryCodesRemaining;
  if (!outcome.ok || remaining === undefined) {
    await settled;
    return outcome.ok ? { ok: false, code: 'NOT_ENROLLED' } : outcome;
  }
  // The refund of a success goes out beside its events: no extra sequential round trip.
  const [result] = await Promise.all([
    succeed(mfa, user, factor, remaining, subject.ctx, startSuccessEvent),
    settled,
  ]);
  return result;
}

async function decideFactor(
  mfa: MfaContext,
  user: MfaUser,
  factor: FactorType,
  code: unknown,
  record: MfaRecord | null,
  subject: Omit<AttemptSubject, 'family'> & { factor: FactorType },
  now: number,
): Promise<AttemptOutcome | { ok: false; code: 'NOT_ENROLLED' }> {
  if (record === null) return { ok: false, code: 'NOT_ENROLLED' };
  let outcome: AttemptOutcome;
  switch (factor) {
    case 'totp': {
      if (record.totp === null) return { ok: false, code: 'NOT_ENROLLED' };
      const step = findStepForFactor(mfa, user.id, record.totp, code, now);
      const check: AttemptCheck = { type: 'totp', step, enrolledAt: record.totp.enrolledAt };
      outcome = await runAttempt(mfa, { ...subject, family: 'totp' }, check, now);
      break;
    }
    case 'recovery': {
      if (record.recoveryCodesRemaining <= 0) return { ok: false, code: 'NOT_ENROLLED' };
      const canonical = normalizeRecoveryCode(code);
      const check: AttemptCheck = {
        type: 'recovery',
        hash: canonical === null ? null : hashRecoveryCode(mfa, user.id, canonical),
      };
      outcome = await runAttempt(
        mfa,
        { ...subject, family: 'recovery', malformed: canonical === null },
        check,
        now,
      );
      break;
    }
    case 'sms': {
      if (record.sms === null) return { ok: false, code: 'NOT_ENROLLED' };
      outcome = await verifySmsSignIn(mfa, user, record, code, { ...subject, family: 'sms' }, now);
      break;
    }
    case 'webauthn':
      // An assertion is bound to a challenge and a ceremony: `mfa.webauthn.verifySignIn`.
      return { ok: false, code: 'NOT_ENROLLED' };
  }
  return outcome;
}

async function verifySmsSignIn(
  mfa: MfaContext,
  user: MfaUser,
  record: MfaRecord,
  code: unknown,
  subject: Parameters<typeof runAttempt>[1],
  now: number,
): Promise<AttemptOutcome> {
  const digits = mfa.options.sms.codeDigits;
  const canonical = normalizeSmsCode(code, digits);
  const verifier = mfa.options.sms.verifier;
  if (verifier === undefined) {
    const hash = canonical === null ? null : hashSmsCode(mfa, user.id, 'sign-in', canonical);
    return runAttempt(
      mfa,
      { ...subject, malformed: canonical === null },
      { type: 'sms', hash, purpose: 'sign-in' },
      now,
    );
  }
  // Provider-checked codes: gate on lock/cooldown first so a locked account never reaches the provider,
  // then record the provider's answer as an outcome in the same limiter.
  const refusal = await checkGate(mfa, user.id, 'sms', now);
  if (refusal !== null) return refusal;
  let success = false;
  if (canonical !== null && record.sms !== null) {
    const phone = mfa.sealer.open(record.sms.sealedPhone, phoneAssociatedData(user.id));
    try {
      success = await verifier.check(phone, canonical);
    } catch (error) {
      throw await providerCheckFailure(mfa, verifier.name, error, record.sms.maskedPhone, user, subject.ctx);
    }
  }
  return runAttempt(mfa, { ...subject, malformed: canonical === null }, { type: 'outcome', success }, now);
}

/** A success's event append as `recorded`: resolves once appended; a failure is an outage (fail closed). */
function startedEvent(append: Promise<unknown>): Promise<void> {
  const recorded = append.then(
    () => undefined,
    (error: unknown) => {
      throw error instanceof MfaError || isProgrammingError(error)
        ? error
        : new MfaError('STORE_UNAVAILABLE', { cause: error });
    },
  );
  // The caller awaits it; until then its failure is no unhandled rejection.
  recorded.catch(() => undefined);
  return recorded;
}

async function succeed(
  mfa: MfaContext,
  user: MfaUser,
  factor: FactorType,
  recoveryCodesRemaining: number,
  ctx: RequestContext,
  startEvent: boolean,
): Promise<VerifyResult> {
  const subject = { user, ctx };
  if (factor !== 'recovery') {
    const append = mfa.events.emit('VERIFICATION_SUCCEEDED', { factor }, subject);
    // Started, not awaited: the caller awaits it beside its own writes (verify's `successEvent`).
    if (startEvent) return { ok: true, factor, recoveryCodesRemaining, recorded: startedEvent(append) };
    await append;
    return { ok: true, factor, recoveryCodesRemaining };
  }
  // Re-read: parallel uses of other codes may have changed the count since the first read.
  const after = await mfa.backend.store.getRecord(user.id);
  const remaining = after?.recoveryCodesRemaining ?? 0;
  await Promise.all([
    mfa.events.emit('VERIFICATION_SUCCEEDED', { factor }, subject),
    mfa.events.emit('RECOVERY_CODE_USED', { remaining }, subject),
  ]);
  return { ok: true, factor, recoveryCodesRemaining: remaining };
}
