import type { RequestHandler } from 'express';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { readPending } from '../session/read-pending.js';
import { policyRequiresMfa } from './policy-requires-mfa.js';
import { signedInUser } from './signed-in-user.js';

/** Options of `requireMfa()`. */
export interface RequireMfaOptions {
  /** Redirect unauthenticated and pending sessions here instead of answering 401. @default `redirects.signIn` */
  redirect?: string;
}

/**
 * `requireMfa()`: guards protected routes.
 * - no login, or a pending sign-in (challenge / forced enrolment) → 401
 *   UNAUTHENTICATED (SESSION_EXPIRED when the pending sign-in just expired),
 *   or a redirect;
 * - logged in and the session completed a second factor → pass, with no
 *   store access at all;
 * - logged in without a second factor → reads the current policy from core
 *   (the policy document only, via `mfa.admin.getPolicy()`) so a policy change
 *   applies at the next request: required (and no live grace period for a
 *   session admitted on grace) → 403 MFA_REQUIRED.
 *
 * Cost per request beyond express-session's own session read: zero store
 * round trips for MFA-completed sessions, one policy read otherwise.
 * Revocation needs none: revoked sessions are destroyed in the session store.
 */
export function createRequireMfa(
  kit: ResolvedMfaExpressOptions,
  options: RequireMfaOptions = {},
): RequestHandler {
  const redirect = options.redirect ?? kit.redirects.signIn;
  return async (req, res, next) => {
    try {
      const user = signedInUser(kit, req);
      if (user === null) {
        const lookup = req.session === undefined ? null : await readPending(req, kit.mfa, kit.clock);
        if (redirect !== undefined) return res.redirect(303, redirect);
        return sendError(res, lookup?.state === 'expired' ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
      }
      const state = req.session?.mfa;
      if (state !== undefined && state.userId === user.id && state.completedAt !== null) return next();
      const verdict = policyRequiresMfa(await kit.mfa.admin.getPolicy(), user, kit.clock.now());
      if (verdict === 'not-required') return next();
      if (verdict === 'required-in-grace' && state?.via === 'grace' && state.userId === user.id)
        return next();
      sendError(res, 'MFA_REQUIRED', {
        hint: 'Set up multi-factor authentication in your security settings, then sign in again.',
      });
    } catch (error) {
      next(error);
    }
  };
}
