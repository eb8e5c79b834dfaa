import type { PendingSignIn } from '@mfa-kit/express';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from './context.js';
import { can, type Privilege } from './privileges.js';
import { currentUser, destroySession } from './request.js';
import { type AppUser, toMfaUser } from './users.js';

/** The pending sign-in that `@mfa-kit/express` keeps in the session, as the pages see it. */
export type PendingView =
  | { state: 'none' }
  | { state: 'expired' }
  | { state: 'live'; pending: PendingSignIn; user: AppUser };

/**
 * Reads the pending sign-in for rendering a page. Expiry is checked with the
 * injected clock; the JSON routes of mfa-kit answer SESSION_EXPIRED and log
 * the event when the user acts on an expired one (seed 004).
 */
export function viewPending(req: Request, ctx: AppContext): PendingView {
  const pending = req.session.mfaPending;
  if (pending === undefined) return { state: 'none' };
  const user = ctx.users.findById(pending.userId);
  if (user === null) return { state: 'none' };
  if (ctx.clock.now() >= pending.expiresAt) return { state: 'expired' };
  return { state: 'live', pending, user };
}

/** Where a request that is not (yet) logged in should go: forced enrolment lets the user do nothing else. */
export function entryPoint(req: Request): string {
  const pending = req.session.mfaPending;
  if (pending?.stage === 'enrol') return '/mfa/enrol';
  if (pending?.stage === 'challenge') return '/mfa/challenge';
  return '/login';
}

/**
 * Whether a logged-in session must set up MFA before anything else: the
 * policy requires it for the user's *current* roles (an admin may have just
 * changed them, seed 003), this session did not complete a second factor,
 * and no grace period admitted it. Same rule as mfa-kit's `requireMfa()`.
 */
export async function mustEnrolNow(req: Request, ctx: AppContext, user: AppUser): Promise<boolean> {
  const state = req.session.mfa;
  if (state?.userId === user.id && state.completedAt !== null) return false;
  const requirement = await ctx.mfa.requirement(toMfaUser(user));
  if (!requirement.required) return false;
  const grace = requirement.graceRemaining;
  const graceLive = grace !== null && (grace.until === null || ctx.clock.now() < grace.until);
  return !(graceLive && state?.via === 'grace');
}

/**
 * Guard for pages of logged-in users: pending sign-ins go back to their MFA
 * step (seeds 002, 003). A logged-in user whose role now requires MFA is sent
 * to set it up at once (seed 003), or, when they already have a factor, to
 * sign in again with it.
 */
export function requireUser(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const user = currentUser(req, ctx);
      if (user === null) return res.redirect(entryPoint(req));
      if (await mustEnrolNow(req, ctx, user)) {
        if (!(await ctx.mfa.status(toMfaUser(user))).enrolled) return res.redirect('/mfa/enrol');
        await destroySession(req);
        return res.redirect('/login?m=mfa-required');
      }
      res.locals.user = user;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * Guard for admin pages. mfa-kit's admin router checks the same privileges
 * on its JSON routes; the page check only decides what to render.
 */
export function requirePrivilege(ctx: AppContext, privilege: Privilege) {
  const signedIn = requireUser(ctx);
  return (req: Request, res: Response, next: NextFunction) =>
    signedIn(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      if (!can(userOf(res), privilege)) {
        res.status(403).send('You do not have permission to see this page.');
        return;
      }
      next();
    });
}

/** The app user of a guarded request. */
export function userOf(res: Response): AppUser {
  return res.locals.user as AppUser;
}
