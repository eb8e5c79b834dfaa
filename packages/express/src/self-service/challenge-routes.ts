import type { FactorType } from '@mfa-kit/core';
import type { NextFunction, Request, Response, Router } from 'express';
import { sendError } from '../http/send-error.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { completeSignIn } from '../session/complete-sign-in.js';
import type { MfaStrategyFailure, MfaStrategySuccess } from '../strategies/mfa-strategy.js';
import { guard } from './access.js';
import { codeBodySchema } from './schemas.js';

const FACTORS: readonly FactorType[] = ['totp', 'sms', 'recovery'];

/**
 * `POST /sign-in/totp`, `/sign-in/sms`, `/sign-in/recovery` `{ code }`: the
 * JSON face of the `mfa-*` Passport strategies. Success logs in (new session
 * id); failure answers the uniform error body (INVALID_CODE 401, COOLDOWN 429
 * + Retry-After, ACCOUNT_LOCKED 423, SESSION_EXPIRED 401).
 */
export function registerChallengeRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  for (const factor of FACTORS) {
    router.post(
      `/sign-in/${factor}`,
      guard(kit, 'challenge'),
      (req: Request, res: Response, next: NextFunction) => {
        validate(codeBodySchema, req.body);
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
            if (kit.redirects.signedIn !== undefined) return res.redirect(303, kit.redirects.signedIn);
            res.json({
              status: 'signed-in',
              factor: success.factor,
              recoveryCodesRemaining: success.recoveryCodesRemaining,
            });
          } catch (caught) {
            next(caught);
          }
        };
        kit.passport.authenticate(`mfa-${factor}`, callback)(req, res, next);
      },
    );
  }
}
