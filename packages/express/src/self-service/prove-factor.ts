import type { VerifyResult } from '@mfa-kit/core';
import type { Request, Response } from 'express';
import { sendOutcome } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { rotateSession } from '../session/rotate-session.js';
import { stepsUpWithPasskeyOnly } from '../middleware/step-up-factors.js';
import type { Actor } from './actor.js';
import { refuseWithoutPasskeyProof } from './fresh-proof.js';
import type { ProofBody } from './schemas.js';

/**
 * Verifies a proof of a second factor through core, limiter included: a code,
 * or a passkey assertion whose challenge came from
 * `POST /verify/webauthn/options` for THIS session (core's step-up ceremony,
 * bound to the session id: spent once, never another session's or a pending
 * sign-in's). NOT_ENROLLED for a passkey when WebAuthn is not configured.
 */
function verifyProof(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  actor: Actor,
  proof: ProofBody,
): Promise<VerifyResult> {
  if (proof.factor !== 'webauthn')
    return kit.mfa.verify(actor.user, proof.factor, proof.code, requestContext(req));
  if (kit.mfa.options.webauthn === undefined) return Promise.resolve({ ok: false, code: 'NOT_ENROLLED' });
  return kit.mfa.webauthn.verifyStepUp(
    actor.user,
    { response: proof.response, binding: req.sessionID },
    requestContext(req),
  );
}

/**
 * Verifies a second factor of a logged-in user (a code or a passkey, see
 * {@link verifyProof}) and, on success, records it as the session's fresh
 * proof (`verifiedAt`) and its factor, and gives the session a new id
 * (step-up is a change of privilege). A code from a user who may step up
 * only with a passkey ({@link stepsUpWithPasskeyOnly}: phishing-resistant MFA
 * required, a passkey held) is refused before anything is verified (403
 * MFA_REQUIRED, `requiredFactor: 'webauthn'`). Answers the error itself and
 * returns false on failure.
 */
export async function proveFactor(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  res: Response,
  actor: Actor,
  proof: ProofBody,
): Promise<boolean> {
  // The one check of which factors a step-up takes: a phishing-resistant user with a passkey uses it.
  // Without WebAuthn configured no one holds a passkey, so a code step-up reads nothing more.
  if (proof.factor !== 'webauthn' && kit.mfa.options.webauthn !== undefined) {
    if (stepsUpWithPasskeyOnly(await kit.mfa.status(actor.user), true)) {
      refuseWithoutPasskeyProof(res);
      return false;
    }
  }
  const result = await verifyProof(kit, req, actor, proof);
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
