import type { FactorType, PasswordReport } from '@mfa-kit/core';
import { type Request, type Response, Router } from 'express';
import type { AppContext } from '../context.js';
import type { AppPassport } from '../passport-setup.js';
import { destroySession, fail, field, requestContext, saveSession } from '../request.js';
import { PENDING_TTL_MS } from '../session-data.js';
import { completeSignIn, readPending } from '../sign-in-state.js';
import { type AppUser, toMfaUser } from '../users.js';
import { sendVerifyFailure } from '../verify-failure.js';
import { sendSmsFailure } from './sms-failure.js';

type PasswordFailure = Exclude<PasswordReport, { ok: true }> | { ok: false; code: 'UNKNOWN_USER' };

function authenticatePassword(
  auth: AppPassport,
  req: Request,
  res: Response,
): Promise<{ user: AppUser } | { failure: PasswordFailure }> {
  return new Promise((resolve, reject) => {
    auth.authenticate(
      'local',
      { session: false },
      (err: unknown, user: AppUser | false, info: Partial<PasswordFailure> | undefined) => {
        if (err) return reject(err);
        if (user) return resolve({ user });
        // passport-local answers a missing field with `{ message }`: treat it like an unknown user.
        resolve({
          failure: info?.ok === false ? (info as PasswordFailure) : { ok: false, code: 'UNKNOWN_USER' },
        });
      },
    )(req, res, () => {});
  });
}

async function pendingOrFail(req: Request, res: Response, ctx: AppContext) {
  const lookup = await readPending(req, ctx);
  if (lookup.state === 'expired') {
    fail(res, 'SESSION_EXPIRED');
    return null;
  }
  if (lookup.state === 'none' || lookup.pending.stage !== 'challenge') {
    fail(res, 'UNAUTHENTICATED', { message: 'Sign in with your password first.' });
    return null;
  }
  return lookup;
}

/**
 * The two-step sign-in: the password step (passport-local) asks mfa-kit what
 * comes next instead of logging in; the challenge routes verify a second factor.
 */
export function createSignInRoutes(ctx: AppContext, auth: AppPassport): Router {
  const router = Router();

  router.post('/api/login', async (req, res) => {
    const outcome = await authenticatePassword(auth, req, res);
    if ('failure' in outcome) {
      const failure = outcome.failure;
      if (failure.code === 'COOLDOWN') return fail(res, 'COOLDOWN', { retryAfterMs: failure.retryAfterMs });
      if (failure.code === 'ACCOUNT_LOCKED')
        return fail(
          res,
          'ACCOUNT_LOCKED',
          failure.retryAfterMs === null ? {} : { retryAfterMs: failure.retryAfterMs },
        );
      return fail(res, 'UNAUTHENTICATED', { message: 'Wrong username or password.' });
    }
    const user = outcome.user;
    const decision = await ctx.mfa.startSignIn(toMfaUser(user), requestContext(req));
    switch (decision.next) {
      case 'refused':
        return fail(
          res,
          decision.code,
          decision.retryAfterMs === null ? {} : { retryAfterMs: decision.retryAfterMs },
        );
      case 'login': {
        await completeSignIn(req, ctx, user, {
          factor: null,
          epoch: decision.epoch,
          via: decision.reason,
          offerEnrolment: decision.offerEnrolment,
        });
        if (decision.reason === 'grace') {
          const left = decision.graceRemaining?.signIns;
          req.session.notice = `Multi-factor authentication is required for your account. Set it up now: ${left === null || left === undefined ? 'your grace period ends soon' : `${left} sign-in${left === 1 ? '' : 's'} left without it`}.`;
          await saveSession(req);
        }
        return res.json({ redirect: decision.offerEnrolment ? '/mfa/offer' : '/' });
      }
      case 'challenge':
      case 'enrol':
        await new Promise<void>((resolve, reject) =>
          req.session.regenerate((e) => (e ? reject(e) : resolve())),
        );
        req.session.pending = {
          userId: user.id,
          stage: decision.next,
          factors: decision.next === 'challenge' ? decision.factors : [],
          maskedPhone: decision.next === 'challenge' ? decision.maskedPhone : null,
          expiresAt: ctx.clock.now() + PENDING_TTL_MS,
        };
        await saveSession(req);
        return res.json({ redirect: decision.next === 'challenge' ? '/mfa/challenge' : '/mfa/enrol' });
    }
  });

  router.post('/api/challenge/verify', async (req, res) => {
    const lookup = await pendingOrFail(req, res, ctx);
    if (lookup === null) return;
    const factor = field(req, 'factor') as FactorType;
    if (!['totp', 'sms', 'recovery'].includes(factor) || !lookup.pending.factors.includes(factor))
      return fail(res, 'VALIDATION', { fields: { factor: 'Choose one of your factors.' } });
    const result = await ctx.mfa.verify(
      toMfaUser(lookup.user),
      factor,
      field(req, 'code'),
      requestContext(req),
    );
    if (!result.ok) return sendVerifyFailure(res, result);
    const status = await ctx.mfa.status(toMfaUser(lookup.user));
    await completeSignIn(req, ctx, lookup.user, { factor, epoch: status.epoch, via: 'mfa' });
    if (factor === 'recovery') {
      req.session.notice = `You signed in with a recovery code; it can't be used again. ${result.recoveryCodesRemaining} recovery code${result.recoveryCodesRemaining === 1 ? '' : 's'} left.`;
      await saveSession(req);
    }
    res.json({ redirect: '/' });
  });

  router.post('/api/challenge/sms', async (req, res) => {
    const lookup = await pendingOrFail(req, res, ctx);
    if (lookup === null) return;
    const sent = await ctx.mfa.sms.sendSignInCode(toMfaUser(lookup.user), requestContext(req));
    if (!sent.ok) return sendSmsFailure(res, sent);
    res.json({
      message: `We sent a code to ${sent.maskedPhone}.${ctx.smsToInbox ? ' (Development: see the dev inbox.)' : ''}`,
      resendAfter: Math.ceil(sent.resendAfterMs / 1000),
    });
  });

  router.post('/api/challenge/not-my-number', async (req, res) => {
    const lookup = await pendingOrFail(req, res, ctx);
    if (lookup === null) return;
    await ctx.mfa.sms.notMyNumber(toMfaUser(lookup.user), requestContext(req));
    lookup.pending.factors = lookup.pending.factors.filter((f) => f !== 'sms');
    lookup.pending.maskedPhone = null;
    await saveSession(req);
    res.json({
      tone: 'error',
      code: 'NOT_MY_NUMBER',
      message:
        'We will not send codes to that number any more. Contact your administrator to update your phone number.',
    });
  });

  router.post('/logout', async (req, res) => {
    await destroySession(req);
    res.clearCookie('mfa-example.sid');
    res.redirect('/login?m=signed-out');
  });

  return router;
}
