import type { Router } from 'express';
import { sendOutcome } from '../http/outcome-error.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { proveFactor } from './prove-factor.js';
import { emptyBodySchema, proofBodySchema } from './schemas.js';

/**
 * Step-up for a logged-in session (answers `stepUp()`'s 403 and refreshes the
 * fresh proof that changing factors needs):
 * - `POST /verify/webauthn/options`: assertion options for a passkey step-up;
 *   the challenge is stored server-side, bound to this session (core's
 *   step-up ceremony: a pending sign-in's challenge never counts here),
 *   single-use and short-lived. 409 NOT_ENROLLED without a passkey.
 * - `POST /verify` `{ factor, code }` or `{ factor: 'webauthn', response }`:
 *   verifies it (limiter included) and, on success, records the fresh proof
 *   and the factor and gives the session a new id.
 */
export function registerVerifyRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/verify/webauthn/options', guard(kit, 'signed-in'), async (req, res) => {
    validate(emptyBodySchema, req.body);
    if (kit.mfa.options.webauthn === undefined) return sendOutcome(res, { ok: false, code: 'NOT_ENROLLED' });
    const result = await kit.mfa.webauthn.stepUpOptions(getActor(req).user, { binding: req.sessionID });
    if (!result.ok) return sendOutcome(res, result);
    res.json({ options: result.options });
  });

  router.post('/verify', guard(kit, 'signed-in'), async (req, res) => {
    const proof = validate(proofBodySchema, req.body);
    if (!(await proveFactor(kit, req, res, getActor(req), proof))) return;
    res.json({ verified: true, factor: proof.factor, completedAt: req.session.mfa?.completedAt ?? null });
  });
}
