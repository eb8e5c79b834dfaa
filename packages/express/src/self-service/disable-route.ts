import type { Router } from 'express';
import { sendOutcome } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { endSession } from '../session/complete-sign-in.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { proofBodySchema } from './schemas.js';

/**
 * `POST /disable` `{ factor, code }` or `{ factor: 'webauthn', response }`:
 * turns MFA off, only when no policy requires it (POLICY_FORBIDS otherwise),
 * with a current code, an unused recovery code (seed 001: a *different* one
 * from the code used to sign in, since each is single-use) or a passkey
 * assertion for the options of `POST /verify/webauthn/options` (this
 * session's step-up challenge). Core revokes every session of the user; this
 * session ends too and the client is sent back to the start (seed 001: "you
 * will be redirected to the beginning of the platform, for security reasons").
 */
export function registerDisableRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/disable', guard(kit, 'signed-in'), async (req, res) => {
    const proof = validate(proofBodySchema, req.body);
    const { user } = getActor(req);
    if (proof.factor === 'webauthn' && kit.mfa.options.webauthn === undefined)
      return sendOutcome(res, { ok: false, code: 'NOT_ENROLLED' });
    const result = await kit.mfa.disable(
      user,
      proof.factor === 'webauthn' ? { ...proof, binding: req.sessionID } : proof,
      requestContext(req),
    );
    if (!result.ok) return sendOutcome(res, result);
    await endSession(req);
    if (kit.redirects.signedOut !== undefined) return res.redirect(303, kit.redirects.signedOut);
    res.json({ disabled: true, signedOut: true });
  });
}
