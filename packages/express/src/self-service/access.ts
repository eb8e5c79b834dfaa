import type { Request, RequestHandler } from 'express';
import { sendError } from '../http/send-error.js';
import { signedInUser } from '../middleware/signed-in-user.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { readPending } from '../session/read-pending.js';
import { setActor } from './actor.js';

/**
 * Who may call a self-service route. Every route declares exactly one:
 * - `signed-in`: a logged-in session only (pending sign-ins are refused);
 * - `challenge`: a pending sign-in waiting for a second factor only;
 * - `pending`: any pending sign-in (challenge or forced enrolment);
 * - `enrolment`: a logged-in session, or a pending forced enrolment (seed
 *   002/003: during forced enrolment the user can do nothing but enrol).
 */
export type Access = 'signed-in' | 'challenge' | 'pending' | 'enrolment';

/** The access guard middleware for `access`. */
export function guard(kit: ResolvedMfaExpressOptions, access: Access): RequestHandler {
  return async (req: Request, res, next) => {
    try {
      const user = signedInUser(kit, req);
      if (user !== null && req.user !== undefined) {
        if (access === 'signed-in' || access === 'enrolment') {
          setActor(req, { user, loginUser: req.user, pending: null });
          return next();
        }
        return sendError(res, 'FORBIDDEN', { message: 'You are already signed in.' });
      }
      if (access === 'signed-in' || req.session === undefined) {
        const lookup = req.session === undefined ? null : await readPending(req, kit.mfa, kit.clock);
        return sendError(res, lookup?.state === 'expired' ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
      }
      const lookup = await readPending(req, kit.mfa, kit.clock);
      if (lookup.state === 'expired') return sendError(res, 'SESSION_EXPIRED');
      if (lookup.state === 'none') return sendError(res, 'UNAUTHENTICATED');
      const pending = lookup.pending;
      const allowed =
        access === 'pending' ||
        (access === 'challenge' && pending.stage === 'challenge') ||
        (access === 'enrolment' && pending.stage === 'enrol');
      if (!allowed)
        return sendError(
          res,
          pending.stage === 'enrol' ? 'ENROLMENT_REQUIRED' : 'UNAUTHENTICATED',
          pending.stage === 'enrol' ? {} : { message: 'Finish signing in with your second factor first.' },
        );
      const pendingUser = await kit.loadUser(pending.userId);
      if (pendingUser === null) {
        delete req.session.mfaPending;
        return sendError(res, 'SESSION_EXPIRED');
      }
      setActor(req, { user: pendingUser, loginUser: pendingUser, pending });
      next();
    } catch (error) {
      next(error);
    }
  };
}
