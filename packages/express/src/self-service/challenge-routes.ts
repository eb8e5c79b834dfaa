import type { FactorType, MfaUser } from '@mfa-kit/core';
import type { NextFunction, Request, Response, Router } from 'express';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { completeSignIn } from '../session/complete-sign-in.js';
import { deferSuccessEvent } from '../session/success-event.js';
import type { MfaStrategyFailure, MfaStrategySuccess } from '../strategies/mfa-strategy.js';
import { guard } from './access.js';
import { setTrustCookie } from '../trusted-devices/trust-cookie.js';
import { challengeBodySchema, webauthnChallengeBodySchema } from './schemas.js';

const FACTORS: readonly FactorType[] = ['totp', 'sms', 'recovery', 'webauthn'];

/**
 * `POST /sign-in/totp`, `/sign-in/sms`, `/sign-in/recovery` `{ code,
 * trustDevice? }` and `/sign-in/webauthn` `{ response, trustDevice? }` (the
 * assertion for the options of `/sign-in/webauthn/options`): the JSON face of
 * the `mfa-*` Passport strategies. Success
 * logs in (new session id); failure answers the uniform error body
 * (INVALID_CODE 401, COOLDOWN 429 + Retry-After, ACCOUNT_LOCKED 423,
 * SESSION_EXPIRED 401). With `trustDevice: true` a successful sign-in also
 * trusts this browser (`mfa.trustedDevices.trust`, its token in the
 * trusted-device cookie) and answers `trustedDevice: { id, expiresAt }`, or
 * `trustedDevice: null` with `trustRefused: 'POLICY_FORBIDS'` when the
 * policy forbids it for the user's role, or after a recovery code (a
 * single-use fallback never earns a trusted device); the sign-in stands.
 */
export function registerChallengeRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  for (const factor of FACTORS) {
    router.post(
      `/sign-in/${factor}`,
      guard(kit, 'challenge'),
      (req: Request, res: Response, next: NextFunction) => {
        const { trustDevice } = validate(
          factor === 'webauthn' ? webauthnChallengeBodySchema : challengeBodySchema,
          req.body,
        );
        const callback = async (
          error: unknown,
          user: Express.User | false | null | undefined,
          info: unknown,
        ) => {
          try {
            if (error) return next(error);
            if (!user) {
              const failure = info as MfaStrategyFailure;
              return sendError(res, failure.code, {
                message: failure.message,
                ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
              });
            }
            const success = info as MfaStrategySuccess;
            const state = req.session.mfa;
            if (state === undefined)
              throw new Error('mfa strategy succeeded without recording the session state');
            await completeSignIn(req, user, state);
            let trust: object = {};
            if (trustDevice === true) {
              const trusted = await kit.mfa.trustedDevices.trust(
                user as MfaUser,
                { factor: success.factor, epoch: state.epoch },
                requestContext(req),
              );
              if (trusted.ok) setTrustCookie(res, kit, trusted.token, trusted.device.expiresAt);
              trust = trusted.ok
                ? { trustedDevice: { id: trusted.device.id, expiresAt: trusted.device.expiresAt } }
                : { trustedDevice: null, trustRefused: trusted.code };
            }
            if (kit.redirects.signedIn !== undefined) return res.redirect(303, kit.redirects.signedIn);
            res.json({
              status: 'signed-in',
              factor: success.factor,
              recoveryCodesRemaining: success.recoveryCodesRemaining,
              ...trust,
            });
          } catch (caught) {
            next(caught);
          }
        };
        // The success event goes out beside the new session's save; completeSignIn awaits both.
        deferSuccessEvent(req);
        kit.passport.authenticate(`mfa-${factor}`, callback)(req, res, next);
      },
    );
  }
}
