import type { Request, Response } from 'express';
import { createErrorBody } from '../http/error-body.js';
import { errorStatus } from '../http/error-status.js';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import type { Actor } from './actor.js';

/**
 * Whether this session holds fresh proof that its user is present, as
 * changing factors needs (ARCHITECTURE "Session model"; NIST SP 800-63B-4
 * treats a new phone number as binding a new authenticator):
 * - a signed-in session: one of the user's existing factors verified here
 *   within `freshFactorMs` (sign-in or step-up; confirming a *new* factor
 *   never counts), or, for a user with no factor at all, the password step
 *   of this session within `freshFactorMs`;
 * - a pending forced enrolment: its password step within `freshFactorMs`
 *   (the pending session was created by that step, with a new id).
 */
export async function hasFreshProof(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  actor: Actor,
): Promise<boolean> {
  const now = kit.clock.now();
  const recent = (time: number | null | undefined) =>
    typeof time === 'number' && now - time <= kit.freshFactorMs && time <= now;
  if (actor.pending !== null) return actor.pending.stage === 'enrol' && recent(actor.pending.passwordAt);
  const state = req.session.mfa;
  if (state === undefined || state.userId !== actor.user.id) return false;
  if (recent(state.verifiedAt)) return true;
  if (!recent(state.passwordAt)) return false;
  return !(await kit.mfa.status(actor.user)).enrolled;
}

/**
 * The refusal for a session without fresh proof: 403 MFA_REQUIRED, with
 * `stepUp: true` when the user can verify a factor (`POST /verify`), or
 * 401 SESSION_EXPIRED for a pending enrolment whose password step is too old
 * (sign in again).
 */
export function refuseWithoutFreshProof(res: Response, actor: Actor): void {
  if (actor.pending !== null) {
    sendError(res, 'SESSION_EXPIRED', { message: 'Sign in again to continue setting up.' });
    return;
  }
  const body = createErrorBody('MFA_REQUIRED', {
    message: 'Confirm it is you: verify a second factor (or sign in again) to change your security settings.',
  });
  body.error.stepUp = true;
  res.status(errorStatus.MFA_REQUIRED).json(body);
}
