import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AppContext } from './context.js';
import { requestContext } from './request.js';
import { toMfaUser } from './users.js';

/** A Passport instance of the app's own (not the global default). */
export type AppPassport = InstanceType<typeof passport.Authenticator>;

/**
 * The app's own Passport instance (no global singleton): passport-local checks
 * the password and reports the outcome to mfa-kit, which shares one account
 * lock between failed passwords and failed codes (seeds 002 and 004: "after
 * several failed sign-in attempts, your account will be locked").
 */
export function createPassport(ctx: AppContext): AppPassport {
  const auth = new passport.Authenticator();
  auth.use(
    'local',
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      const user = ctx.users.findByUsername(username);
      if (user === null) return done(null, false, { ok: false, code: 'UNKNOWN_USER' } as never);
      const ok = ctx.users.checkPassword(user, password);
      ctx.mfa.password.report(toMfaUser(user), ok, requestContext(req)).then(
        (report) => (report.ok && ok ? done(null, user) : done(null, false, report as never)),
        (err: unknown) => done(err),
      );
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, ctx.users.findById(id) ?? false));
  return auth;
}
