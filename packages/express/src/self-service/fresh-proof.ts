import type { Request, Response } from 'express';
import { createErrorBody } from '../http/error-body.js';
import { errorStatus } from '../http/error-status.js';
import { sendError } from '../http/send-error.js';
import { stepUpFactors } from '../middleware/step-up-factors.js';
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
 * `stepUp: true` and `stepUpFactors` (what `POST /verify` accepts from this
 * user) when the user can verify a factor, or 401 SESSION_EXPIRED for a
 * pending enrolment whose password step is too old (sign in again).
 */
export async function refuseWithoutFreshProof(
  kit: ResolvedMfaExpressOptions,
  res: Response,
  actor: Actor,
): Promise<void> {
  if (actor.pending !== null) {
    sendError(res, 'SESSION_EXPIRED', { message: 'Sign in again to continue setting up.' });
    return;
  }
  const status = await kit.mfa.status(actor.user);
  const body = createErrorBody('MFA_REQUIRED', {
    message: 'Confirm it is you: verify a second factor (or sign in again) to change your security settings.',
  });
  body.error.stepUp = true;
  body.error.stepUpFactors = stepUpFactors(status, kit.mfa.options.webauthn !== undefined);
  res.status(errorStatus.MFA_REQUIRED).json(body);
}

/**
 * The refusal for a user whose policy requires phishing-resistant MFA and
 * whose session's proof is not a passkey: 403 MFA_REQUIRED with
 * `stepUp: true`, `stepUpFactors: ['webauthn']` and `requiredFactor:
 * 'webauthn'` — confirm with a passkey (`POST /verify/webauthn/options`,
 * then `POST /verify`); a code would not do.
 */
export function refuseWithoutPasskeyProof(res: Response): void {
  const body = createErrorBody('MFA_REQUIRED', {
    message: 'Your role requires a passkey or security key for this: confirm it is you with your passkey.',
  });
  body.error.stepUp = true;
  body.error.stepUpFactors = ['webauthn'];
  body.error.requiredFactor = 'webauthn';
  res.status(errorStatus.MFA_REQUIRED).json(body);
}
