import type { FactorType } from '@mfa-kit/core';
import type { Request } from 'express';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { completeSignIn } from '../session/complete-sign-in.js';
import type { Actor } from './actor.js';

/**
 * After a second factor was proven by enrolment (TOTP or SMS confirmed): a
 * pending forced enrolment becomes a completed sign-in; a logged-in session
 * records the fresh factor. Both log in again so the session id is
 * regenerated at the privilege change (OWASP Session Management: renew the id
 * after any privilege level change).
 */
export async function finishWithFactor(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  actor: Actor,
  factor: FactorType,
): Promise<void> {
  const epoch = actor.pending?.epoch ?? req.session.mfa?.epoch ?? 0;
  await completeSignIn(req, actor.loginUser, {
    userId: actor.user.id,
    completedAt: kit.clock.now(),
    factor,
    epoch,
    via: 'mfa',
    offerEnrolment: false,
  });
}
