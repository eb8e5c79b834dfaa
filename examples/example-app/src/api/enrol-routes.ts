import type { EnrolResult } from '@mfa-kit/core';
import { type Request, type Response, Router } from 'express';
import type { AppContext } from '../context.js';
import { type Enroller, findEnroller } from '../enrolling-user.js';
import { currentUser, fail, field, requestContext, saveSession } from '../request.js';
import { completeSignIn } from '../sign-in-state.js';
import { type AppUser, toMfaUser } from '../users.js';
import { sendVerifyFailure } from '../verify-failure.js';
import { sendSmsFailure } from './sms-failure.js';

async function enrollerOrFail(req: Request, res: Response, ctx: AppContext) {
  const enroller: Enroller = await findEnroller(req, ctx);
  if (enroller.state === 'ok') return enroller;
  if (enroller.state === 'expired') fail(res, 'SESSION_EXPIRED');
  else fail(res, 'UNAUTHENTICATED');
  return null;
}

/** After a confirmed enrolment: a forced enrolment logs the user in; fresh recovery codes are shown once. */
async function finishEnrolment(
  req: Request,
  res: Response,
  ctx: AppContext,
  enroller: { user: AppUser; forced: boolean },
  result: Extract<EnrolResult, { ok: true }>,
): Promise<void> {
  if (enroller.forced) {
    const status = await ctx.mfa.status(toMfaUser(enroller.user));
    await completeSignIn(req, ctx, enroller.user, { factor: result.factor, epoch: status.epoch, via: 'mfa' });
  } else if (req.session.mfa !== undefined) {
    // Proving a factor at enrolment counts as completing MFA in this session.
    req.session.mfa = { ...req.session.mfa, factor: result.factor, completedAt: ctx.clock.now(), via: 'mfa' };
  }
  if (result.recoveryCodes !== null) req.session.freshRecoveryCodes = result.recoveryCodes;
  req.session.notice = result.factor === 'totp' ? 'Authenticator app set up.' : 'Phone number set up.';
  await saveSession(req);
  res.json({ redirect: result.recoveryCodes !== null ? '/mfa/recovery-codes' : '/security' });
}

/** JSON routes of TOTP and SMS enrolment, and "decline for now" (seed 000). */
export function createEnrolRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/api/enrol/totp/confirm', async (req, res) => {
    const enroller = await enrollerOrFail(req, res, ctx);
    if (enroller === null) return;
    const started = req.session.totpEnrolment;
    if (started === undefined) return fail(res, 'VALIDATION', { message: 'Start the enrolment again.' });
    const result = await ctx.mfa.totp.confirmEnrolment(
      toMfaUser(enroller.user),
      started.sealedSecret,
      field(req, 'code'),
      requestContext(req),
    );
    if (!result.ok) return sendVerifyFailure(res, result);
    delete req.session.totpEnrolment;
    await finishEnrolment(req, res, ctx, enroller, result);
  });

  router.post('/api/enrol/sms/start', async (req, res) => {
    const enroller = await enrollerOrFail(req, res, ctx);
    if (enroller === null) return;
    const sent = await ctx.mfa.sms.beginEnrolment(
      toMfaUser(enroller.user),
      field(req, 'phone'),
      requestContext(req),
    );
    if (!sent.ok) return sendSmsFailure(res, sent);
    res.json({
      message: `We sent a code to ${sent.maskedPhone}.${ctx.smsToInbox ? ' (Development: see the dev inbox.)' : ''}`,
      resendAfter: Math.ceil(sent.resendAfterMs / 1000),
    });
  });

  router.post('/api/enrol/sms/confirm', async (req, res) => {
    const enroller = await enrollerOrFail(req, res, ctx);
    if (enroller === null) return;
    const result = await ctx.mfa.sms.confirmEnrolment(
      toMfaUser(enroller.user),
      field(req, 'code'),
      requestContext(req),
    );
    if (!result.ok) return sendVerifyFailure(res, result);
    await finishEnrolment(req, res, ctx, enroller, result);
  });

  router.post('/api/enrol/decline', async (req, res) => {
    const user = currentUser(req, ctx);
    if (user === null) return fail(res, 'UNAUTHENTICATED');
    await ctx.mfa.declineEnrolment(toMfaUser(user), requestContext(req));
    req.session.notice =
      'No problem. You can turn on multi-factor authentication later in Security settings.';
    await saveSession(req);
    res.json({ redirect: '/' });
  });

  return router;
}
