import type { RequestHandler } from 'express';
import { MfaError } from '@mfa-kit/core';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { completeSignIn } from '../session/complete-sign-in.js';
import { isGuardedSessionStore } from '../session/guard-session-store.js';
import { keepOnly, rotateSession } from '../session/rotate-session.js';
import { readTrustCookie } from '../trusted-devices/trust-cookie.js';
import { takeSignInDecision } from './password-decision.js';

/**
 * `startSignIn()`: the middleware that runs after the app's password step
 * (`req.user` set, e.g. by `passport.authenticate('local', { session: false })`
 * or by {@link createPasswordGuard}).
 *
 * A password step always starts a new session: unless the sign-in is refused,
 * whatever session the browser brought (anonymous, pending, or signed in as
 * anyone, perhaps planted by an attacker) ends here, its id is replaced, and
 * only the keys the app listed in `keepSessionData` cross over. It asks core
 * what comes next and:
 * - `login`: logs in (Passport regenerates the session id) and records the MFA state;
 *   this includes a browser whose trusted-device cookie core accepted
 *   (`status: 'signed-in', trustedDevice: true`): its session counts as MFA
 *   completed with the factor the device proved, but holds no fresh proof;
 * - `challenge` / `enrol`: stores a pending sign-in in the session WITHOUT
 *   logging in (`req.isAuthenticated()` stays false on later requests);
 * - `refused`: ACCOUNT_LOCKED (423) or COOLDOWN (429 + Retry-After).
 * Answers JSON `{ status, ... }`, or redirects when `redirects` are configured.
 */
export function createStartSignIn(kit: ResolvedMfaExpressOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      if (req.session === undefined || !isGuardedSessionStore(req.sessionStore))
        throw new MfaError('CONFIGURATION', {
          message: 'startSignIn() needs the session middleware from mfaKit.session(...)',
        });
      const appUser = req.user;
      const user = appUser === undefined ? null : kit.userFromRequest(appUser);
      if (appUser === undefined || user === null) return sendError(res, 'UNAUTHENTICATED');
      // After passwordGuard() the decision came with the password report; otherwise core decides now.
      const held = takeSignInDecision(req, user.id);
      const trustedDeviceToken = held === null ? readTrustCookie(req, kit) : undefined;
      const decision =
        held ??
        (await kit.mfa.startSignIn(
          user,
          requestContext(req),
          trustedDeviceToken === undefined ? {} : { trustedDeviceToken },
        ));
      const now = kit.clock.now();
      if (decision.next !== 'refused') keepOnly(req, kit.keepSessionData);
      switch (decision.next) {
        case 'login': {
          const trusted = decision.reason === 'trusted-device' ? decision.trustedDevice : null;
          await completeSignIn(req, appUser, {
            userId: user.id,
            completedAt: trusted === null ? null : now,
            factor: trusted?.factor ?? null,
            verifiedAt: null,
            passwordAt: now,
            epoch: decision.epoch,
            via: decision.reason,
            offerEnrolment: decision.offerEnrolment,
          });
          if (kit.redirects.signedIn !== undefined) return res.redirect(303, kit.redirects.signedIn);
          res.json({
            status: 'signed-in',
            offerEnrolment: decision.offerEnrolment,
            graceRemaining: decision.graceRemaining,
            ...(trusted === null ? {} : { trustedDevice: true }),
          });
          return;
        }
        case 'challenge':
        case 'enrol': {
          const challenge = decision.next === 'challenge';
          await rotateSession(req, user.id, (session) => {
            session.mfaPending = {
              userId: user.id,
              orgId: user.orgId ?? null,
              roles: [...(user.roles ?? [])],
              stage: challenge ? 'challenge' : 'enrol',
              factors: challenge ? decision.factors : [],
              maskedPhone: challenge ? decision.maskedPhone : null,
              reason: challenge ? null : decision.reason,
              expiresAt: now + kit.pendingTtlMs,
              epoch: decision.epoch,
              passwordAt: now,
              ...(challenge ? { carried: decision.carried } : {}),
            };
          });
          // The password step authenticated this request only; nothing is logged in.
          req.user = undefined;
          const redirect = challenge ? kit.redirects.challenge : kit.redirects.enrol;
          if (redirect !== undefined) return res.redirect(303, redirect);
          res.json(
            challenge
              ? {
                  status: 'challenge',
                  factors: decision.factors,
                  maskedPhone: decision.maskedPhone,
                  expiresAt: now + kit.pendingTtlMs,
                }
              : { status: 'enrol', reason: decision.reason, expiresAt: now + kit.pendingTtlMs },
          );
          return;
        }
        case 'refused':
          req.user = undefined;
          return sendError(
            res,
            decision.code,
            decision.retryAfterMs === null ? {} : { retryAfterMs: decision.retryAfterMs },
          );
      }
    } catch (error) {
      next(error);
    }
  };
}
