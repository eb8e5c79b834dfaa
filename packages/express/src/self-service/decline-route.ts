import type { Router } from 'express';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { emptyBodySchema } from './schemas.js';

/**
 * `POST /decline`: "not now" for optional MFA (seed 000: "I declined MFA at
 * sign-in and want to turn it on now" — enrolment stays available in
 * settings). Refused with ENROLMENT_REQUIRED when policy requires MFA.
 */
export function registerDeclineRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/decline', guard(kit, 'signed-in'), async (req, res) => {
    validate(emptyBodySchema, req.body);
    const { user } = getActor(req);
    const requirement = await kit.mfa.requirement(user);
    if (requirement.required) return sendError(res, 'ENROLMENT_REQUIRED');
    if (!requirement.available)
      return sendError(res, 'FORBIDDEN', { message: 'MFA is not available for your organisation yet.' });
    await kit.mfa.declineEnrolment(user, requestContext(req));
    if (req.session.mfa !== undefined) req.session.mfa.offerEnrolment = false;
    res.json({ declined: true });
  });
}
