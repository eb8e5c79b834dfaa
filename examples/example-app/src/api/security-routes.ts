import type { FactorType } from '@mfa-kit/core';
import { type Request, type Response, Router } from 'express';
import type { AppContext } from '../context.js';
import { destroySession, fail, field, requestContext, saveSession } from '../request.js';
import { mfaUserOf, requireUser } from '../sign-in-state.js';
import { sendVerifyFailure } from '../verify-failure.js';
import { sendSmsFailure } from './sms-failure.js';

function proofFactor(req: Request, res: Response): FactorType | null {
  const factor = field(req, 'factor');
  if (factor === 'totp' || factor === 'sms' || factor === 'recovery') return factor;
  fail(res, 'VALIDATION', { fields: { factor: 'Choose how to prove it is you.' } });
  return null;
}

/** Self-service JSON routes: regenerate recovery codes, disable MFA, send a proof code by SMS. */
export function createSecurityRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/api/security', requireUser(ctx));

  router.post('/api/security/sms-code', async (req, res) => {
    const sent = await ctx.mfa.sms.sendSignInCode(mfaUserOf(res), requestContext(req));
    if (!sent.ok) return sendSmsFailure(res, sent);
    res.json({
      message: `We sent a code to ${sent.maskedPhone}.`,
      resendAfter: Math.ceil(sent.resendAfterMs / 1000),
    });
  });

  // Regenerating needs a fresh second factor (seed 002: "generate a new recovery token from your profile").
  router.post('/api/security/recovery-codes', async (req, res) => {
    const factor = proofFactor(req, res);
    if (factor === null) return;
    const user = mfaUserOf(res);
    const verified = await ctx.mfa.verify(user, factor, field(req, 'code'), requestContext(req));
    if (!verified.ok) return sendVerifyFailure(res, verified);
    req.session.freshRecoveryCodes = await ctx.mfa.recovery.regenerate(user, requestContext(req));
    req.session.notice = 'New recovery codes created; the old ones no longer work.';
    await saveSession(req);
    res.json({ redirect: '/mfa/recovery-codes' });
  });

  // Seed 001 self-reset: sign in with one recovery code, deactivate with a different one,
  // and be sent back to the start "for security reasons" (every session is revoked).
  router.post('/api/security/disable', async (req, res) => {
    const factor = proofFactor(req, res);
    if (factor === null) return;
    const result = await ctx.mfa.disable(
      mfaUserOf(res),
      { factor, code: field(req, 'code') },
      requestContext(req),
    );
    if (!result.ok) {
      if (result.code === 'POLICY_FORBIDS') return fail(res, 'POLICY_FORBIDS');
      return sendVerifyFailure(res, result);
    }
    await destroySession(req);
    res.clearCookie('mfa-example.sid');
    res.json({ redirect: '/login?m=mfa-disabled' });
  });

  return router;
}
