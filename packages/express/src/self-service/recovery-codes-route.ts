import type { Router } from 'express';
import { requestContext } from '../http/request-context.js';
import { createErrorBody } from '../http/error-body.js';
import { errorStatus } from '../http/error-status.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { proveFactor } from './prove-factor.js';
import { regenerateBodySchema } from './schemas.js';

/**
 * `POST /recovery-codes` `{ factor?, code? }`: a new set of recovery codes,
 * shown once; the old set stops working (seed 002: "generate a new recovery
 * token from your profile"). Needs a fresh second factor: a code in the body,
 * or a factor completed by this session within `freshFactorMs`.
 */
export function registerRecoveryCodesRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/recovery-codes', guard(kit, 'signed-in'), async (req, res) => {
    const body = validate(regenerateBodySchema, req.body ?? {});
    const actor = getActor(req);
    if (body !== null) {
      if (!(await proveFactor(kit, req, res, actor, body))) return;
    } else {
      const state = req.session.mfa;
      const completedAt = state?.userId === actor.user.id ? state.completedAt : null;
      if (completedAt === null || kit.clock.now() - completedAt > kit.freshFactorMs) {
        const error = createErrorBody('MFA_REQUIRED', {
          message: 'Enter a current code to create new recovery codes.',
        });
        error.error.stepUp = true;
        res.status(errorStatus.MFA_REQUIRED).json(error);
        return;
      }
    }
    const codes = await kit.mfa.recovery.regenerate(actor.user, requestContext(req));
    res.json({ recoveryCodes: codes });
  });
}
