import type { PendingSignIn } from '@mfa-kit/express';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from './context.js';
import { can, type Privilege } from './privileges.js';
import { currentUser } from './request.js';
import type { AppUser } from './users.js';

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
function entryPoint(req: Request): string {
  const pending = req.session.mfaPending;
  if (pending?.stage === 'enrol') return '/mfa/enrol';
  if (pending?.stage === 'challenge') return '/mfa/challenge';
  return '/login';
}

/** Guard for pages of logged-in users: pending sign-ins go back to their MFA step (seeds 002, 003). */
export function requireUser(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = currentUser(req, ctx);
    if (user === null) return res.redirect(entryPoint(req));
    res.locals.user = user;
    next();
  };
}

/**
 * Guard for admin pages. mfa-kit's admin router checks the same privileges
 * on its JSON routes; the page check only decides what to render.
 */
export function requirePrivilege(ctx: AppContext, privilege: Privilege) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = currentUser(req, ctx);
    if (user === null) return res.redirect(entryPoint(req));
    if (!can(user, privilege)) {
      res.status(403).send('You do not have permission to see this page.');
      return;
    }
    res.locals.user = user;
    next();
  };
}

/** The app user of a guarded request. */
export function userOf(res: Response): AppUser {
  return res.locals.user as AppUser;
}
