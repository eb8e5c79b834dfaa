import type { MfaUser } from '@mfa-kit/core';
import type { Request, RequestHandler } from 'express';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { checkAppUser } from '../resolve-options.js';
import { readTrustCookie } from '../trusted-devices/trust-cookie.js';
import { holdSignInDecision } from './password-decision.js';

/** Options of `passwordGuard()`. */
export interface PasswordGuardOptions {
  /** The app's password strategy name. @default 'local' */
  strategy?: string;
  /**
   * Finds the user the failed attempt was for, so the failure counts toward
   * their cooldowns. `null` or `undefined` both mean "no such user" (what a
   * `Map.get` returns). @default loads `req.body.username` with `loadUser`
   */
  findUser?: (req: Request) => Promise<MfaUser | null | undefined> | MfaUser | null | undefined;
  /**
   * The username as typed, used to count attempts on usernames that match no
   * user exactly like those on real ones (core normalises it: NFKC, trimmed,
   * lower case). @default `req.body.username`
   */
  username?: (req: Request) => unknown;
}

/**
 * `passwordGuard()`: runs the app's password strategy (without a session) and
 * reports the outcome to core in one atomic limiter decision. Wrong passwords
 * lead to growing temporary cooldowns (never a lock: anyone who knows a
 * username could cause it); a correct password is refused while the account
 * is locked or cooling down and never resets the second-factor lock count.
 * Success leaves `req.user` set for `startSignIn()`; a correct password is
 * reported with core's `password.signIn`, which also decides what comes next
 * in the same round trip, and `startSignIn()` uses that decision.
 *
 * No enumeration: a username that matches no user is counted exactly like a
 * wrong password of a real one (core's `password.reportUnknownUser`), so both
 * get the same 401s and then the same 429 with the same `retryAfter`; a lock
 * is revealed only to whoever presents the correct password.
 */
export function createPasswordGuard(
  kit: ResolvedMfaExpressOptions,
  options: PasswordGuardOptions = {},
): RequestHandler {
  const strategy = options.strategy ?? 'local';
  const typedUsername =
    options.username ?? ((req: Request) => (req.body as Record<string, unknown> | undefined)?.['username']);
  const findUser =
    options.findUser ??
    ((req: Request) => {
      const username = typedUsername(req);
      return typeof username === 'string' && username.length > 0 && username.length <= 200
        ? kit.loadUser(username)
        : null;
    });
  const wrongPassword = (res: Parameters<RequestHandler>[1]) =>
    sendError(res, 'UNAUTHENTICATED', { message: 'The username or password is not correct.' });
  return (req, res, next) => {
    const callback = async (error: unknown, appUser: Express.User | false | null | undefined) => {
      try {
        if (error) return next(error);
        const ctx = requestContext(req);
        const user = appUser
          ? kit.userFromRequest(appUser)
          : checkAppUser(await findUser(req), 'findUser(req).orgId');
        if (appUser && user !== null) {
          const trustedDeviceToken = readTrustCookie(req, kit);
          const decision = await kit.mfa.password.signIn(
            user,
            ctx,
            trustedDeviceToken === undefined ? {} : { trustedDeviceToken },
          );
          if (decision.next === 'refused')
            return sendError(
              res,
              decision.code,
              decision.retryAfterMs === null ? {} : { retryAfterMs: decision.retryAfterMs },
            );
          holdSignInDecision(req, user.id, decision);
          req.user = appUser;
          return next();
        }
        const report =
          user === null
            ? await kit.mfa.password.reportUnknownUser(typedUsername(req), ctx)
            : await kit.mfa.password.report(user, false, ctx);
        if (!report.ok && report.code !== 'INVALID_CODE')
          return sendError(
            res,
            report.code,
            report.retryAfterMs === null ? {} : { retryAfterMs: report.retryAfterMs },
          );
        wrongPassword(res);
      } catch (caught) {
        next(caught);
      }
    };
    kit.passport.authenticate(strategy, { session: false }, callback)(req, res, next);
  };
}
