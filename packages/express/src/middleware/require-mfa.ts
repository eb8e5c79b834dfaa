import type { RequestHandler } from 'express';
import { createErrorBody } from '../http/error-body.js';
import { errorStatus } from '../http/error-status.js';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { loadedPolicy } from '../session/loaded-policy.js';
import { readPending } from '../session/read-pending.js';
import { sessionFactorSatisfies } from './session-factor-satisfies.js';
import { policyRequiresMfa } from './policy-requires-mfa.js';
import { signedInUser } from './signed-in-user.js';

/** Options of `requireMfa()`. */
export interface RequireMfaOptions {
  /** Redirect unauthenticated and pending sessions here instead of answering 401. @default `redirects.signIn` */
  redirect?: string;
  /**
   * Redirect a signed-in session whose factor does not satisfy the policy (a
   * role that requires phishing-resistant MFA signed in with TOTP, SMS or a
   * recovery code) here, e.g. a page to sign in with or register a passkey,
   * instead of answering 403 MFA_REQUIRED with `requiredFactor: 'webauthn'`.
   */
  webauthnRedirect?: string;
}

/**
 * `requireMfa()`: guards protected routes.
 * - no login, or a pending sign-in (challenge / forced enrolment) → 401
 *   UNAUTHENTICATED (SESSION_EXPIRED when the pending sign-in just expired),
 *   or a redirect;
 * - logged in and the session completed a second factor → pass if that factor
 *   satisfies the current policy (core's `factorSatisfies`: a role or
 *   organisation that requires phishing-resistant MFA accepts only WebAuthn),
 *   else 403 MFA_REQUIRED with `requiredFactor: 'webauthn'` (sign in with a
 *   passkey, or register one with the fresh proof this session holds);
 * - logged in without a second factor → checks the current policy (the one
 *   read beside the session, or `mfa.admin.getPolicy()`) so a policy change
 *   applies at the next request: required (and no live grace period for a
 *   session admitted on grace) → 403 MFA_REQUIRED.
 *
 * Cost per request beyond express-session's own session read: no sequential
 * round trip for MFA-completed sessions (the policy is read in parallel with
 * the session and its epoch by the session store wrapper, see
 * `loaded-policy.ts`; a WebAuthn session needs no policy at all), and none
 * for sessions let in without MFA either (the same policy).
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
      if (state !== undefined && state.userId === user.id && state.completedAt !== null) {
        if (await sessionFactorSatisfies(kit, req, user, state.factor)) return next();
        if (options.webauthnRedirect !== undefined) return res.redirect(303, options.webauthnRedirect);
        const body = createErrorBody('MFA_REQUIRED', {
          message:
            'Your role requires a passkey or security key. Sign in with one, or register one in your security settings.',
        });
        body.error.requiredFactor = 'webauthn';
        return res.status(errorStatus.MFA_REQUIRED).json(body);
      }
      // The policy read beside this request's session load (none when the session is new: read it now).
      const policy = loadedPolicy(req) ?? (await kit.mfa.admin.getPolicy());
      const verdict = policyRequiresMfa(policy, user, kit.clock.now());
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
