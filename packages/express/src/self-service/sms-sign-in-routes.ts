import type { RequestHandler, Router } from 'express';
import { sendOutcome } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { emptyBodySchema } from './schemas.js';

/**
 * SMS at the sign-in challenge:
 * - `POST /sign-in/sms/send`: sends (or resends) the code; core's resend
 *   cooldown and send limits apply; provider failures answer PROVIDER_FAILURE
 *   (502) / SMS_FAILURE (422) with the provider code and a hint, and charge no
 *   attempt.
 * - `POST /sms/send`: the same for a signed-in user who must prove a fresh
 *   factor (step-up, regenerating recovery codes, disabling MFA), so an
 *   SMS-only user isn't forced onto a recovery code; answer with `POST /verify`.
 * - `POST /sign-in/not-my-number`: "It's not my phone number" (seed 004):
 *   records NOT_MY_NUMBER, stops sending to that number, and tells the user to
 *   contact an administrator. When SMS was the only factor core locks the
 *   account (else the button would strip MFA) and the pending sign-in ends.
 */
export function registerSmsSignInRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  const sendCode: RequestHandler = async (req, res) => {
    validate(emptyBodySchema, req.body);
    const { user, pending } = getActor(req);
    if (pending !== null && !pending.factors.includes('sms')) return sendError(res, 'NOT_ENROLLED');
    const result = await kit.mfa.sms.sendSignInCode(user, requestContext(req));
    if (!result.ok) return sendOutcome(res, result);
    res.json({ sent: true, maskedPhone: result.maskedPhone, resendAfterMs: result.resendAfterMs });
  };
  router.post('/sign-in/sms/send', guard(kit, 'challenge'), sendCode);
  router.post('/sms/send', guard(kit, 'signed-in'), sendCode);

  router.post('/sign-in/not-my-number', guard(kit, 'challenge'), async (req, res) => {
    validate(emptyBodySchema, req.body);
    const { user, pending } = getActor(req);
    if (!pending?.factors.includes('sms')) return sendError(res, 'NOT_ENROLLED');
    await kit.mfa.sms.notMyNumber(user, requestContext(req));
    // Core locks the account when SMS was the only factor (so the button can't strip MFA):
    // then this sign-in is over too.
    const status = await kit.mfa.status(user);
    const locked = status.limiter.locked;
    const factors = locked ? [] : pending.factors.filter((factor) => factor !== 'sms');
    // Removing the number ended every session of the user (epoch bump); this
    // one proved the password and may go on with the factors left.
    if (locked) delete req.session.mfaPending;
    else req.session.mfaPending = { ...pending, factors, maskedPhone: null, epoch: status.epoch };
    res.json({ notMyNumber: true, message: notMyNumberMessage(locked, factors), factors, locked });
  });
}

/**
 * What "It's not my phone number" did, in plain words (seed 004 "contact
 * your administrator"), naming only what still works.
 */
function notMyNumberMessage(locked: boolean, factors: readonly string[]): string {
  const stopped = 'We will not send codes to that number any more.';
  if (locked) {
    return `${stopped} Text messages were your only way to sign in, so your account is now locked until an administrator checks it is you. Contact your administrator.`;
  }
  const left = [
    factors.includes('totp') ? 'your authenticator app' : null,
    factors.includes('recovery') ? 'a recovery code' : null,
  ].filter((x) => x !== null);
  return `${stopped} Sign in with ${left.join(' or ')}, then ask your administrator to update your phone number.`;
}
