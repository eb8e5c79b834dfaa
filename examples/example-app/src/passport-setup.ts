import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { UserDirectory } from './users.js';

/** A Passport instance of the app's own (not the global default). */
export type AppPassport = InstanceType<typeof passport.Authenticator>;

/**
 * The app's existing password login, unchanged by mfa-kit: passport-local and
 * the app's own user database. mfa-kit's `passwordGuard()` wraps it so failed
 * passwords count toward the account lock (seeds 002, 004).
 */
export function createPassport(users: UserDirectory): AppPassport {
  const auth = new passport.Authenticator();
  auth.use(
    'local',
    new LocalStrategy((username, password, done) => {
      const user = users.findByUsername(username);
      done(null, user !== null && users.checkPassword(user, password) ? user : false);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, users.findById(id) ?? false));
  return auth;
}
