import type { PasswordReport } from '../api.js';
import type { MfaUser, RequestContext } from '../types.js';
import { ipFailureKey, ipFailureLimit, runAttempt } from './attempt.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { gateFromStatus } from './limiter-gate.js';

/**
 * The app's password check, reported through the same atomic limiter (family
 * `password`), so password failures share the account lock with the second
 * factors (seed 002: "after several failed sign-in attempts, your account
 * will be locked"). A success while locked or cooling down is still refused.
 * An IP over its daily failure budget is refused before counting.
 *
 * A correct password of a user who has a second factor is only half a
 * sign-in, so it must not reset the consecutive-failure count that leads to
 * the account lock: otherwise whoever knows the password could guess codes
 * until the cooldown, re-enter the password, and never be locked. It clears
 * only the password family's own failures; the lock count resets when the
 * second factor succeeds.
 */
export async function reportPassword(
  mfa: MfaContext,
  user: MfaUser,
  success: boolean,
  ctx: RequestContext,
): Promise<PasswordReport> {
  assertUser(user);
  const now = mfa.now();
  const ip = ctx?.ip;
  if (ip) {
    const budget = await mfa.backend.counters.peek(ipFailureKey(ip), ipFailureLimit(mfa), now);
    if (!budget.allowed) return { ok: false, code: 'COOLDOWN', retryAfterMs: budget.retryAfterMs };
  }
  if (success === true) {
    const [record, status] = await Promise.all([
      mfa.backend.store.getRecord(user.id),
      mfa.backend.store.getLimiterStatus(user.id, now),
    ]);
    if (record !== null && (record.totp !== null || record.sms !== null)) {
      const refusal = gateFromStatus(status, 'password', now);
      if (refusal !== null) return refusal;
      await mfa.backend.store.resetCooldowns(user.id, ['password']);
      return { ok: true };
    }
  }
  const subject = {
    user,
    ctx: ctx ?? {},
    family: 'password' as const,
    factor: 'password' as const,
    malformed: false,
  };
  return runAttempt(mfa, subject, { type: 'outcome', success: success === true }, now);
}
