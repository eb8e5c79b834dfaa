import type { FactorType } from '@mfa-kit/core';
import type { Request } from 'express';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { completeSignIn } from '../session/complete-sign-in.js';
import type { Actor } from './actor.js';

/**
 * After a new factor was confirmed (TOTP or SMS): a pending forced enrolment
 * becomes a completed sign-in; a logged-in session records that it has MFA.
 * Both log in again so the session id is regenerated at the privilege change
 * (OWASP Session Management). Confirming a new factor is not fresh proof of
 * the user: `verifiedAt` keeps whatever it was (null after forced enrolment).
 */
export async function finishWithFactor(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  actor: Actor,
  factor: FactorType,
): Promise<void> {
  const { pending } = actor;
  const state = req.session.mfa?.userId === actor.user.id ? req.session.mfa : undefined;
  await completeSignIn(req, actor.loginUser, {
    userId: actor.user.id,
    completedAt: kit.clock.now(),
    factor,
    verifiedAt: pending === null ? (state?.verifiedAt ?? null) : null,
    passwordAt: pending?.passwordAt ?? state?.passwordAt ?? null,
    epoch: pending?.epoch ?? state?.epoch ?? 0,
    via: 'mfa',
    offerEnrolment: false,
  });
}
