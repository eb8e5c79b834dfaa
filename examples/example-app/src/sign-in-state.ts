import type { FactorType } from '@mfa-kit/core';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from './context.js';
import { can, type Privilege } from './privileges.js';
import { currentUser, fail, requestContext, saveSession } from './request.js';
import type { PendingSignIn } from './session-data.js';
import { type AppUser, toMfaUser } from './users.js';

/** The pending sign-in of this session, checked against the injected clock. */
export type PendingLookup =
  | { state: 'none' }
  | { state: 'expired' }
  | { state: 'live'; pending: PendingSignIn; user: AppUser };

/**
 * Reads the pending MFA step. An expired one is removed and logged as
 * SESSION_EXPIRED (seed 004: "If the session times out, a Session Expired
 * error message is displayed").
 */
export async function readPending(req: Request, ctx: AppContext): Promise<PendingLookup> {
  const pending = req.session.pending;
  if (pending === undefined) return { state: 'none' };
  const user = ctx.users.findById(pending.userId);
  if (user === null) {
    delete req.session.pending;
    return { state: 'none' };
  }
  if (ctx.clock.now() > pending.expiresAt) {
    delete req.session.pending;
    delete req.session.totpEnrolment;
    await saveSession(req);
    const { ip, userAgent } = requestContext(req);
    await ctx.mfa.events.record({
      type: 'SESSION_EXPIRED',
      userId: user.id,
      orgId: user.orgId,
      ip: ip ?? null,
      userAgent: userAgent ?? null,
      details: { stage: pending.stage === 'enrol' ? 'enrolment' : 'challenge' },
    });
    return { state: 'expired' };
  }
  return { state: 'live', pending, user };
}

/**
 * Logs the user in after MFA (or when MFA is not needed): passport 0.7
 * regenerates the session id (session fixation), then the session records how
 * MFA was passed and the user's epoch, and joins the user's session index so an
 * admin reset can end it.
 */
export async function completeSignIn(
  req: Request,
  ctx: AppContext,
  user: AppUser,
  mfa: {
    factor: FactorType | null;
    epoch: number;
    via: 'mfa' | 'optional' | 'not-rolled-out' | 'grace';
    offerEnrolment?: boolean;
  },
): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  req.session.mfa = {
    userId: user.id,
    completedAt: mfa.factor === null ? null : ctx.clock.now(),
    factor: mfa.factor,
    epoch: mfa.epoch,
    via: mfa.via,
    offerEnrolment: mfa.offerEnrolment ?? false,
  };
  ctx.sessions.add(user.id, req.sessionID);
  await saveSession(req);
}

/** Where a request that is not (yet) logged in should go. */
function entryPoint(req: Request): string {
  const pending = req.session.pending;
  if (pending?.stage === 'enrol') return '/mfa/enrol';
  if (pending?.stage === 'challenge') return '/mfa/challenge';
  return '/login';
}

/**
 * Guard for pages and JSON routes of logged-in users. A pending session is
 * refused everywhere: during forced enrolment the user can do nothing but
 * enrol (seeds 002, 003).
 */
export function requireUser(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = currentUser(req, ctx);
    if (user !== null) {
      res.locals.user = user;
      return next();
    }
    if (req.path.startsWith('/api/') || req.originalUrl.startsWith('/api/')) {
      return req.session.pending?.stage === 'enrol'
        ? fail(res, 'ENROLMENT_REQUIRED')
        : fail(res, 'UNAUTHENTICATED');
    }
    res.redirect(entryPoint(req));
  };
}

/** Guard for admin pages/routes: the privilege is checked on every request. */
export function requirePrivilege(ctx: AppContext, privilege: Privilege) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = currentUser(req, ctx);
    if (user === null) return requireUser(ctx)(req, res, next);
    if (!can(user, privilege)) return fail(res, 'FORBIDDEN');
    res.locals.user = user;
    next();
  };
}

/** The app user of a guarded request. */
export function userOf(res: Response): AppUser {
  return res.locals.user as AppUser;
}

/** Convenience: the mfa-kit view of the guarded request's user. */
export function mfaUserOf(res: Response) {
  return toMfaUser(userOf(res));
}
