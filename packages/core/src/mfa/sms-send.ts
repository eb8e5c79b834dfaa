import type { SmsSendResult } from '../api.js';
import { HOUR_MS, DAY_MS } from '../defaults.js';
import { isMfaError, MfaError } from '../errors.js';
import type { CounterResult } from '../ports/counter-store.js';
import type { MfaUser, RequestContext, SmsChallenge } from '../types.js';
import type { MfaContext } from './context.js';
import { generateNumericCode, hashSmsCode } from './sms-code.js';

/** A number to send to, already validated. */
export interface SmsDestination {
  e164: string;
  callingCode: string;
  masked: string;
  sealedPhone: string;
}

/** Key of the per-user resend cooldown (a 1-hit window). */
export function resendKey(userId: string): string {
  return `sms-resend:${userId}`;
}

/**
 * Records a provider failure (SMS_FAILURE or PROVIDER_FAILURE event with the
 * provider's code and the masked number) and turns it into a typed value.
 * Errors that are not provider errors are treated as the provider being down.
 */
export async function recordProviderFailure(
  mfa: MfaContext,
  provider: string,
  error: unknown,
  maskedPhone: string,
  user: MfaUser,
  ctx: RequestContext,
): Promise<Extract<SmsSendResult, { code: 'SMS_FAILURE' | 'PROVIDER_FAILURE' }>> {
  const known = isMfaError(error, 'SMS_FAILURE') || isMfaError(error, 'PROVIDER_FAILURE');
  const code = known ? (error as MfaError).code : 'PROVIDER_FAILURE';
  const details = known ? (error as MfaError).details : {};
  const message = known ? (error as MfaError).message : new MfaError('PROVIDER_FAILURE').message;
  const providerCode = details.providerCode ?? null;
  await mfa.events.emit(
    code as 'SMS_FAILURE' | 'PROVIDER_FAILURE',
    { provider, providerCode, maskedPhone, message },
    { user, ctx },
  );
  return {
    ok: false,
    code: code as 'SMS_FAILURE' | 'PROVIDER_FAILURE',
    providerCode,
    message,
    hint: details.hint ?? null,
  };
}

/**
 * Records a provider-checked code's failure (Twilio Verify and the like) and
 * returns the error to throw: the provider failed, the user's code was never
 * judged, so nothing is charged to the limiter.
 */
export async function providerCheckFailure(
  mfa: MfaContext,
  provider: string,
  error: unknown,
  maskedPhone: string,
  user: MfaUser,
  ctx: RequestContext,
): Promise<MfaError> {
  const failure = await recordProviderFailure(mfa, provider, error, maskedPhone, user, ctx);
  return new MfaError(failure.code, {
    message: failure.message,
    providerCode: failure.providerCode ?? undefined,
    hint: failure.hint ?? undefined,
    cause: error,
  });
}

/**
 * Sends a code to `to` after every send limit allowed it: resend cooldown and
 * sends per user/hour, per number/day, per IP/hour, per calling code/hour
 * (toll-fraud guard). The resend cooldown is consumed first, the others in
 * parallel (one more round trip);
 * a refusal by any of them refuses the send. Numbers appear in counter keys
 * only as keyed hashes. A provider failure deletes the challenge, records the
 * event and is returned as a value; no verification attempt is charged and
 * the resend cooldown is given back so the user can retry at once.
 */
export async function sendSmsCode(
  mfa: MfaContext,
  user: MfaUser,
  purpose: SmsChallenge['purpose'],
  to: SmsDestination,
  ctx: RequestContext,
): Promise<SmsSendResult> {
  const { sms } = mfa.options;
  const sender = sms.sender;
  const verifier = sms.verifier;
  if (sender === undefined && verifier === undefined) {
    throw new MfaError('CONFIGURATION', { message: 'SMS needs sms.sender or sms.verifier in the options' });
  }
  const now = mfa.now();
  const { counters } = mfa.backend;
  // The resend cooldown first: impatient clicks must not use up the hourly and daily budgets.
  const resend = await counters.consume(
    resendKey(user.id),
    { limit: 1, windowMs: sms.resendCooldownMs },
    now,
  );
  if (!resend.allowed) return { ok: false, code: 'RATE_LIMITED', retryAfterMs: resend.retryAfterMs };
  const checks: Promise<CounterResult>[] = [
    counters.consume(`sms-user:${user.id}`, { limit: sms.sendsPerUserPerHour, windowMs: HOUR_MS }, now),
    counters.consume(
      `sms-phone:${mfa.hasher.hash('sms-phone', to.e164)}`,
      { limit: sms.sendsPerPhonePerDay, windowMs: DAY_MS },
      now,
    ),
    counters.consume(
      `sms-country:${to.callingCode}`,
      { limit: sms.sendsPerCountryPerHour, windowMs: HOUR_MS },
      now,
    ),
  ];
  if (ctx?.ip) {
    checks.push(
      counters.consume(`sms-ip:${ctx.ip}`, { limit: sms.sendsPerIpPerHour, windowMs: HOUR_MS }, now),
    );
  }
  const results = await Promise.all(checks);
  const refused = results.filter((result) => !result.allowed);
  if (refused.length > 0) {
    return { ok: false, code: 'RATE_LIMITED', retryAfterMs: Math.max(...refused.map((r) => r.retryAfterMs)) };
  }

  const code = generateNumericCode(mfa.options.random, sms.codeDigits);
  // With a provider verifier the provider owns the code; the stored challenge then only remembers the
  // number (setup) and carries a hash nobody can match.
  const codeHash = hashSmsCode(mfa, user.id, purpose, verifier === undefined ? code : `${code}:provider`);
  await mfa.backend.store.putSmsChallenge(
    user.id,
    {
      codeHash,
      purpose,
      sealedPhone: to.sealedPhone,
      maskedPhone: to.masked,
      expiresAt: now + sms.codeTtlMs,
    },
    now,
  );

  const provider = verifier?.name ?? sender?.name ?? 'sms';
  try {
    if (verifier !== undefined) {
      await verifier.start(to.e164);
    } else if (sender !== undefined) {
      const lines = [`${sms.appName}: your verification code is ${code}`];
      // WebOTP origin-bound line (last line: `@domain #code`) so browsers can autofill it.
      if (sms.originDomain !== undefined) lines.push('', `@${sms.originDomain} #${code}`);
      await sender.send({ to: to.e164, body: lines.join('\n') });
    }
  } catch (error) {
    await Promise.all([
      mfa.backend.store.deleteSmsChallenge(user.id, purpose),
      counters.reset(resendKey(user.id)),
    ]);
    return recordProviderFailure(mfa, provider, error, to.masked, user, ctx);
  }
  await mfa.events.emit('SMS_SENT', { maskedPhone: to.masked, purpose }, { user, ctx });
  return { ok: true, maskedPhone: to.masked, resendAfterMs: sms.resendCooldownMs };
}
