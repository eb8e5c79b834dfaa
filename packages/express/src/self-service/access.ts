import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendError } from '../http/send-error.js';
import { signedInUser } from '../middleware/signed-in-user.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { readPending } from '../session/read-pending.js';
import { type Actor, setActor } from './actor.js';
import { hasFreshProof, refuseWithoutFreshProof } from './fresh-proof.js';
import { proveFactor } from './prove-factor.js';
import { proofBodySchema } from './schemas.js';

/**
 * Who may call a self-service route. Every route declares exactly one:
 * - `signed-in`: a logged-in session only (pending sign-ins are refused);
 * - `challenge`: a pending sign-in waiting for a second factor only;
 * - `pending`: any pending sign-in (challenge or forced enrolment);
 * - `enrolment`: a logged-in session, or a pending forced enrolment (seed
 *   002/003: during forced enrolment the user can do nothing but enrol).
 */
export type Access = 'signed-in' | 'challenge' | 'pending' | 'enrolment';

/** Extra conditions of a route, checked by its guard. */
export interface GuardOptions {
  /**
   * The route changes factors: the session must hold fresh proof (see
   * `hasFreshProof`), else 403 MFA_REQUIRED (`stepUp: true`).
   */
  fresh?: boolean;
  /**
   * With `fresh`: a proof body (`{ factor, code }` or `{ factor: 'webauthn', response }`) is verified
   * first and counts as the fresh proof.
   */
  inlineProof?: boolean;
}

/** The access guard middleware for `access`: the one place each self-service route's caller is decided. */
export function guard(
  kit: ResolvedMfaExpressOptions,
  access: Access,
  options: GuardOptions = {},
): RequestHandler {
  const admit = async (req: Request, res: Response, next: NextFunction, actor: Actor) => {
    setActor(req, actor);
    if (options.fresh === true) {
      if (options.inlineProof === true && actor.pending === null) {
        const proof = proofBodySchema.safeParse(req.body);
        if (proof.success && !(await proveFactor(kit, req, res, actor, proof.data))) return;
      }
      if (!(await hasFreshProof(kit, req, actor))) return await refuseWithoutFreshProof(kit, res, actor);
    }
    next();
  };
  return async (req: Request, res, next) => {
    try {
      const user = signedInUser(kit, req);
      if (user !== null && req.user !== undefined) {
        if (access === 'signed-in' || access === 'enrolment')
          return await admit(req, res, next, { user, loginUser: req.user, pending: null });
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
      await admit(req, res, next, { user: pendingUser, loginUser: pendingUser, pending });
    } catch (error) {
      next(error);
    }
  };
}
