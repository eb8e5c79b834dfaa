import type { MfaUser } from '@mfa-kit/core';
import type { Request, RequestHandler } from 'express';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { checkAppUser } from '../resolve-options.js';

/** Options of `passwordGuard()`. */
export interface PasswordGuardOptions {
  /** The app's password strategy name. @default 'local' */
  strategy?: string;
  /**
   * Finds the user the failed attempt was for, so the failure counts toward
   * their lock. @default loads `req.body.username` with `loadUser`
   */
  findUser?: (req: Request) => Promise<MfaUser | null> | MfaUser | null;
}

/**
 * `passwordGuard()`: runs the app's password strategy (without a session) and
 * reports the outcome to core, so failed passwords count toward the same
 * account lock as failed codes (seed 002: "After several failed sign-in
 * attempts, your account will be locked"; seed 004). A correct password on a
 * locked or cooling-down account is refused. A correct password never resets
 * the lock counter of a user who has a second factor (core's
 * `password.report` leaves that to the second factor). Success leaves
 * `req.user` set for `startSignIn()`. Wrong password and unknown user get the same 401,
 * so the answer does not reveal which accounts exist.
 */
export function createPasswordGuard(
  kit: ResolvedMfaExpressOptions,
  options: PasswordGuardOptions = {},
): RequestHandler {
  const strategy = options.strategy ?? 'local';
  const findUser =
    options.findUser ??
    ((req: Request) => {
      const username: unknown = (req.body as Record<string, unknown> | undefined)?.username;
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
        if (user === null) return wrongPassword(res);
        const report = await kit.mfa.password.report(user, Boolean(appUser), ctx);
        if (appUser && report.ok) {
          req.user = appUser;
          return next();
        }
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
