import type { Router } from 'express';
import { sendOutcome } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { finishWithFactor } from './finish-factor.js';
import { codeBodySchema, phoneBodySchema } from './schemas.js';

/**
 * SMS enrolment (logged-in sessions and forced enrolment), both steps with
 * fresh proof (a new or changed phone number binds a new authenticator):
 * - `POST /sms/enrol` `{ phone }` (E.164): sends a set-up code; also the
 *   resend (core applies the resend cooldown, send limits, and the 1-hour
 *   set-up cooldown after repeated failures, seed 004). Answers the masked
 *   number only.
 * - `POST /sms/confirm` `{ code }`: stores the SMS factor; recovery codes are
 *   returned once when a new set was created.
 */
export function registerSmsEnrolmentRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/sms/enrol', guard(kit, 'enrolment', { fresh: true }), async (req, res) => {
    const { phone } = validate(phoneBodySchema, req.body);
    const { user } = getActor(req);
    const result = await kit.mfa.sms.beginEnrolment(user, phone, requestContext(req));
    if (!result.ok) return sendOutcome(res, result);
    res.json({ sent: true, maskedPhone: result.maskedPhone, resendAfterMs: result.resendAfterMs });
  });

  router.post('/sms/confirm', guard(kit, 'enrolment', { fresh: true }), async (req, res) => {
    const { code } = validate(codeBodySchema, req.body);
    const actor = getActor(req);
    const result = await kit.mfa.sms.confirmEnrolment(actor.user, code, requestContext(req));
    if (!result.ok) return sendOutcome(res, result);
    await finishWithFactor(kit, req, actor, 'sms');
    res.json({ enrolled: true, factor: 'sms', recoveryCodes: result.recoveryCodes, status: 'signed-in' });
  });
}
