import type { PasswordReport } from '../api.js';
import type { MfaUser, RequestContext } from '../types.js';
import { ipFailureKey, ipFailureLimit, runAttempt } from './attempt.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';

/**
 * The app's password check, reported through the same atomic limiter (family
 * `password`), so password failures share the account lock with the second
 * factors (seed 002: "after several failed sign-in attempts, your account
 * will be locked"). A success while locked or cooling down is still refused.
 * An IP over its daily failure budget is refused before counting.
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
  const subject = {
    user,
    ctx: ctx ?? {},
    family: 'password' as const,
    factor: 'password' as const,
    malformed: false,
  };
  return runAttempt(mfa, subject, { type: 'outcome', success: success === true }, now);
}
