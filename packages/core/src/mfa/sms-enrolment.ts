import type { EnrolResult, SmsSendResult } from '../api.js';
import { MfaError } from '../errors.js';
import { parsePhoneNumber } from '../phone/index.js';
import type { MfaUser, RequestContext } from '../types.js';
import { runAttempt } from './attempt.js';
import { assertUser } from './assert-user.js';
import { type MfaContext, phoneAssociatedData } from './context.js';
import { checkGate, gateFromStatus } from './limiter-gate.js';
import { issueRecoveryCodes } from './recovery-codes.js';
import { hashSmsCode, normalizeSmsCode } from './sms-code.js';
import { providerCheckFailure, sendSmsCode } from './sms-send.js';

/**
 * Starts phone enrolment: E.164 validation, allowed calling codes, the lock
 * and the 1-hour setup cooldown (family `sms-setup`), then the send limits.
 * Only for users without an SMS factor (changing the number goes through
 * disable or an admin reset).
 */
export async function beginSmsEnrolment(
  mfa: MfaContext,
  user: MfaUser,
  phone: unknown,
  ctx: RequestContext,
): Promise<SmsSendResult> {
  assertUser(user);
  const parsed = parsePhoneNumber(phone);
  if (parsed === null) {
    return {
      ok: false,
      code: 'VALIDATION',
      message: 'Enter the number in international format with the country code, e.g. +14155550100.',
    };
  }
  const allowed = mfa.options.sms.allowedCountryCodes;
  if (allowed !== undefined && !allowed.includes(parsed.callingCode)) {
    return { ok: false, code: 'VALIDATION', message: 'SMS codes cannot be sent to numbers in this country.' };
  }
  const now = mfa.now();
  const [record, status] = await Promise.all([
    mfa.backend.store.getRecord(user.id),
    mfa.backend.store.getLimiterStatus(user.id, now),
  ]);
  if (record?.sms) throw new MfaError('ALREADY_ENROLLED');
  const refusal = gateFromStatus(status, 'sms-setup', now);
  if (refusal !== null) return refusal;
  return sendSmsCode(
    mfa,
    user,
    'setup',
    {
      e164: parsed.e164,
      callingCode: parsed.callingCode,
      masked: parsed.masked,
      sealedPhone: mfa.sealer.seal(parsed.e164, phoneAssociatedData(user.id)),
    },
    ctx,
  );
}

/**
 * Confirms the setup code through the atomic attempt of family `sms-setup`
 * (failures lead to the 1-hour setup cooldown, not to the account lock) and
 * stores the SMS factor. Recovery codes are issued, once, if the user has none.
 */
export async function confirmSmsEnrolment(
  mfa: MfaContext,
  user: MfaUser,
  code: unknown,
  ctx: RequestContext,
): Promise<EnrolResult> {
  assertUser(user);
  const now = mfa.now();
  const [record, challenge] = await Promise.all([
    mfa.backend.store.getRecord(user.id),
    mfa.backend.store.getSmsChallenge(user.id, 'setup', now),
  ]);
  if (record?.sms) throw new MfaError('ALREADY_ENROLLED');
  const canonical = normalizeSmsCode(code, mfa.options.sms.codeDigits);
  const subject = {
    user,
    ctx: ctx ?? {},
    family: 'sms-setup' as const,
    factor: 'sms' as const,
    malformed: canonical === null,
  };
  const verifier = mfa.options.sms.verifier;

  let outcome: Awaited<ReturnType<typeof runAttempt>>;
  if (verifier === undefined) {
    const hash = canonical === null ? null : hashSmsCode(mfa, user.id, 'setup', canonical);
    outcome = await runAttempt(mfa, subject, { type: 'sms', hash, purpose: 'setup' }, now);
    // The attempt consumed the live challenge; it must be the one read above (a parallel
    // beginEnrolment to another number would have replaced it).
    if (outcome.ok && (challenge === null || challenge.codeHash !== hash)) {
      const message = 'The phone set-up changed meanwhile. Start again.';
      throw new MfaError('VALIDATION', { message, fields: { phone: message } });
    }
  } else {
    const refusal = await checkGate(mfa, user.id, 'sms-setup', now);
    if (refusal !== null) return refusal;
    let success = false;
    if (challenge !== null && canonical !== null) {
      const phone = mfa.sealer.open(challenge.sealedPhone, phoneAssociatedData(user.id));
      try {
        success = await verifier.check(phone, canonical);
      } catch (error) {
        throw await providerCheckFailure(mfa, verifier.name, error, challenge.maskedPhone, user, subject.ctx);
      }
    }
    outcome = await runAttempt(mfa, subject, { type: 'outcome', success }, now);
    if (outcome.ok) await mfa.backend.store.deleteSmsChallenge(user.id, 'setup');
  }
  if (!outcome.ok) return outcome;
  if (challenge === null) {
    const message = 'No phone set-up in progress. Enter your phone number first.';
    throw new MfaError('VALIDATION', { message, fields: { phone: message } });
  }

  await mfa.backend.store.setSms(user.id, {
    sealedPhone: challenge.sealedPhone,
    maskedPhone: challenge.maskedPhone,
    enrolledAt: now,
  });
  const recoveryCodes =
    (record?.recoveryCodesRemaining ?? 0) > 0 ? null : await issueRecoveryCodes(mfa, user.id);
  await mfa.events.emit('ENROLLED', { factor: 'sms', maskedPhone: challenge.maskedPhone }, { user, ctx });
  return { ok: true, factor: 'sms', recoveryCodes };
}
