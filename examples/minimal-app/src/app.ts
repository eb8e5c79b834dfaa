// The minimal app: Express 5 + express-session + passport-local. `app-before.ts` is
// the app without mfa-kit, `app.ts` with it; the README shows the diff between them.
import { type MfaOptions, createMemoryBackend, createMfa } from '@mfa-kit/core';
import { checkOrigin, createMfaExpress } from '@mfa-kit/express';
import express from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';

/** A user of the app (the app owns its users). */
export interface User {
  id: string;
  password: string;
  roles: string[];
}

/** Options of {@link createApp}. */
export interface AppOptions {
  sessionSecret: string;
  origin: string;
  mfa: Pick<MfaOptions, 'encryption' | 'hashKey' | 'clock'>;
}

/** Builds the app around the given users. */
export function createApp(users: Map<string, User>, options: AppOptions): express.Express {
  const auth = new passport.Passport();
  auth.use(
    new LocalStrategy((username, password, done) => {
      const user = users.get(username);
      done(null, user !== undefined && user.password === password ? user : false);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as User).id));
  auth.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));
  const mfa = createMfa({ ...options.mfa, backend: createMemoryBackend(), issuer: 'Minimal app' });
  const loadUser = (id: string) => users.get(id) ?? null;
  const mfaKit = createMfaExpress({ mfa, passport: auth, loadUser, allowedOrigins: [options.origin] });

  const app = express();
  app.use(mfaKit.session({ secret: options.sessionSecret, resave: false, saveUninitialized: false }));
  app.use(auth.initialize());
  app.use(auth.session());
  app.use('/mfa', mfaKit.selfServiceRouter());
  app.use(express.json());
  app.post(['/login', '/logout'], checkOrigin({ allowedOrigins: [options.origin] }));
  app.post('/login', mfaKit.passwordGuard(), mfaKit.startSignIn());
  app.post('/logout', (req, res, next) =>
    req.logout((error) => (error ? next(error) : res.json({ ok: true }))),
  );
  app.get('/private', mfaKit.requireMfa(), (req, res) => {
    res.json({ user: (req.user as User).id });
  });
  return app;
}
