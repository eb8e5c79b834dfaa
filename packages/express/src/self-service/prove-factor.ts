import type { FactorType } from '@mfa-kit/core';
import type { Request, Response } from 'express';
import { sendOutcome } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { rotateSession } from '../session/rotate-session.js';
import type { Actor } from './actor.js';

/**
 * Verifies a second factor of a logged-in user (limiter included) and, on
 * success, records it as the session's fresh proof (`verifiedAt`) and gives
 * the session a new id (step-up is a change of privilege). Answers the error
 * itself and returns false on failure.
 */
export async function proveFactor(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  res: Response,
  actor: Actor,
  proof: { factor: FactorType; code: string },
): Promise<boolean> {
  const result = await kit.mfa.verify(actor.user, proof.factor, proof.code, requestContext(req));
  if (!result.ok) {
    sendOutcome(res, result);
    return false;
  }
  const state = req.session.mfa;
  if (state !== undefined && state.userId === actor.user.id) {
    const now = kit.clock.now();
    state.completedAt = now;
    state.verifiedAt = now;
    state.factor = result.factor;
    await rotateSession(req, actor.user.id);
  }
  return true;
}
