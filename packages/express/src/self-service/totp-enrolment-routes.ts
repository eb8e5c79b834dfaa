import type { Router } from 'express';
import QRCode from 'qrcode';
import { sendOutcome } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { finishWithFactor } from './finish-factor.js';
import { codeBodySchema, emptyBodySchema } from './schemas.js';

/**
 * TOTP enrolment (logged-in sessions and forced enrolment), both steps with
 * fresh proof (see `hasFreshProof`):
 * - `POST /totp/enrol`: a new secret, its `otpauth://` URI and a QR code (PNG
 *   data URL); the sealed secret stays in the session until confirmed.
 * - `POST /totp/confirm` `{ code }`: turns TOTP on and returns the recovery
 *   codes once. Core burns the step used, so the same code can't also be the
 *   first sign-in code (RFC 6238 §5.2). A pending forced enrolment is signed
 *   in by it.
 */
export function registerTotpEnrolmentRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/totp/enrol', guard(kit, 'enrolment', { fresh: true }), async (req, res) => {
    validate(emptyBodySchema, req.body);
    const { user } = getActor(req);
    const enrolment = await kit.mfa.totp.beginEnrolment(user);
    req.session.mfaTotpEnrolment = { sealedSecret: enrolment.sealedSecret, startedAt: kit.clock.now() };
    const qrCode = await QRCode.toDataURL(enrolment.uri, { errorCorrectionLevel: 'M' });
    res.json({
      secret: enrolment.secret,
      uri: enrolment.uri,
      qrCode,
      algorithm: enrolment.algorithm,
      digits: enrolment.digits,
      periodInSeconds: enrolment.periodInSeconds,
    });
  });

  router.post('/totp/confirm', guard(kit, 'enrolment', { fresh: true }), async (req, res) => {
    const { code } = validate(codeBodySchema, req.body);
    const actor = getActor(req);
    const started = req.session.mfaTotpEnrolment;
    if (started === undefined)
      return sendError(res, 'NOT_ENROLLED', { message: 'Start the authenticator app set-up first.' });
    const result = await kit.mfa.totp.confirmEnrolment(
      actor.user,
      started.sealedSecret,
      code,
      requestContext(req),
    );
    if (!result.ok) return sendOutcome(res, result);
    delete req.session.mfaTotpEnrolment;
    await finishWithFactor(kit, req, actor, 'totp');
    res.json({ enrolled: true, factor: 'totp', recoveryCodes: result.recoveryCodes, status: 'signed-in' });
  });
}
