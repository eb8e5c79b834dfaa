import type { Router } from 'express';
import { requestContext } from '../http/request-context.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { regenerateBodySchema } from './schemas.js';

/**
 * `POST /recovery-codes` `{ factor?, code? }`: a new set of recovery codes,
 * shown once; the old set stops working (seed 002: "generate a new recovery
 * token from your profile"). Needs fresh proof: a code of an existing factor
 * in the body, or one verified by this session within `freshFactorMs`
 * (confirming a new factor doesn't count).
 */
export function registerRecoveryCodesRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post(
    '/recovery-codes',
    guard(kit, 'signed-in', { fresh: true, inlineProof: true }),
    async (req, res) => {
      validate(regenerateBodySchema, req.body ?? {});
      const codes = await kit.mfa.recovery.regenerate(getActor(req).user, requestContext(req));
      res.json({ recoveryCodes: codes });
    },
  );
}
