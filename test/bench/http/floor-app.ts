/**
 * The floor: express-session + connect-redis + Passport (`passport-local`,
 * `req.login`) with no MFA logic at all. `POST /login/totp` signs the pending
 * user in whatever the code is: it is what any MFA stack costs at least.
 */
import { RedisStore } from 'connect-redis';
import express, { type Express } from 'express';
import session from 'express-session';
import type { Redis } from 'ioredis';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { type BenchUser, createUserDb } from './contract.js';

declare module 'express-session' {
  interface SessionData {
    pendingUserId?: string;
  }
}

/** Passport with the local strategy (plain compare) and id (de)serialisation, as the stacks share it. */
export function createBenchPassport(users: ReturnType<typeof createUserDb>): passport.PassportStatic {
  const auth = new passport.Passport() as passport.PassportStatic;
  auth.use(
    new LocalStrategy((username, password, done) => {
      const user = users.byName(username);
      done(null, user !== null && user.password === password ? user : false);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as BenchUser).id));
  auth.deserializeUser((id: string, done) => done(null, users.byId(id) ?? false));
  return auth;
}

/** express-session on connect-redis with the cookie the mfa-kit README uses. */
function benchSession(client: Redis): express.RequestHandler {
  return session({
    store: new RedisStore({ client, prefix: 'sess:' }),
    secret: 'bench-session-secret',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 8 * 3600_000 },
  });
}

/** `POST /login` for the hand-assembled stacks: the password, then a pending user id in the session. */
function pendingPasswordStep(auth: passport.PassportStatic): express.RequestHandler {
  return (req, res, next) => {
    auth.authenticate('local', { session: false }, (error: unknown, user: BenchUser | false) => {
      if (error) return next(error);
      if (!user) return res.status(401).json({ error: 'INVALID_CREDENTIALS' });
      req.session.pendingUserId = user.id;
      res.json({ status: 'challenge' });
    })(req, res, next);
  };
}

/** `GET /app` for the hand-assembled stacks. */
function signedInOnly(req: express.Request, res: express.Response): void {
  if (!req.isAuthenticated()) {
    res.status(401).json({ error: 'UNAUTHENTICATED' });
    return;
  }
  res.json({ user: (req.user as BenchUser).id });
}

/**
 * The contract on a hand-assembled stack: sessions, Passport, the password
 * step and `GET /app` as above; `secondFactor` answers `POST /login/totp`.
 */
export function handAssembledApp(
  client: Redis,
  users: ReturnType<typeof createUserDb>,
  secondFactor: express.RequestHandler,
): Express {
  const auth = createBenchPassport(users);
  const app = express();
  app.set('trust proxy', 1);
  app.use(benchSession(client));
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(express.json());
  app.post('/login', pendingPasswordStep(auth));
  app.post('/login/totp', secondFactor);
  app.get('/app', signedInOnly);
  return app;
}

export async function createFloorApp(
  client: Redis,
  userCount: number,
): Promise<{ app: Express; secrets: null[] }> {
  const users = createUserDb(userCount);
  const app = handAssembledApp(client, users, (req, res, next) => {
    const user = users.byId(req.session.pendingUserId ?? '');
    if (user === null) return void res.status(401).json({ error: 'NO_PENDING_SIGN_IN' });
    req.login(user, (error) => (error ? next(error) : res.json({ status: 'signed-in' })));
  });
  return { app, secrets: users.all().map(() => null) };
}
