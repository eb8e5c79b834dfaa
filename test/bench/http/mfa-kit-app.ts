/**
 * mfa-kit wired the way `packages/express/README.md` ("Complete example")
 * tells users: Redis backend, `mfaKit.session` on connect-redis, the session
 * index and revoker, default limits and event logging, `passwordGuard` +
 * `startSignIn` on `POST /login`, `requireMfa()` on `GET /app`. The only
 * addition is the contract's `POST /login/totp`, an alias of the
 * self-service router's `POST /mfa/sign-in/totp`.
 *
 * Users are enrolled through core's public API before the app listens; the
 * enrolment confirms with the previous step's code, so the current step is
 * still unused when the benchmark signs in.
 */
import { randomBytes } from 'node:crypto';
import { type Clock, createMfa, decodeBase32, generateTOTP, type Mfa } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import {
  createMfaExpress,
  createRedisSessionIndex,
  createSessionRevoker,
  indexSessions,
} from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import { BENCH_ORIGIN, createUserDb } from './contract.js';
import { createBenchPassport } from './floor-app.js';

const ENROL_CONCURRENCY = 16;

/** The ioredis options of the README's complete example (the benchmark's mfa-kit process uses them). */
export const MFA_KIT_README_REDIS_OPTIONS = {
  enableOfflineQueue: false,
  commandTimeout: 1_000,
  maxRetriesPerRequest: 1,
  enableAutoPipelining: process.env['BENCH_NO_AUTOPIPELINE'] === undefined,
} as const;

export async function createMfaKitApp(
  redis: Redis,
  userCount: number,
  /** Test only: the clock of the backend's policy cache (the round-trip test freezes it so counts don't depend on time). */
  policyCacheClock?: Clock,
): Promise<{ app: Express; secrets: string[] }> {
  const users = createUserDb(userCount);

  const sessionIndex = createRedisSessionIndex({ client: redis });
  const sessionStore = indexSessions(new RedisStore({ client: redis, prefix: 'sess:' }), sessionIndex);
  const mfa = createMfa({
    backend: createRedisBackend({ client: redis, ...(policyCacheClock ? { clock: policyCacheClock } : {}) }),
    encryption: { keys: { bench: randomBytes(32).toString('base64') }, currentKeyId: 'bench' },
    hashKey: randomBytes(32).toString('base64'),
    issuer: 'mfa-kit bench',
    policy: { requiredRoles: ['admin'] },
    sessionRevoker: createSessionRevoker({ sessionStore, index: sessionIndex }),
  });
  const auth = createBenchPassport(users);
  const mfaKit = createMfaExpress({
    mfa,
    passport: auth,
    loadUser: (id) => users.byId(id),
    allowedOrigins: [BENCH_ORIGIN],
  });

  const app = express();
  app.set('trust proxy', 1);
  app.use(
    mfaKit.session({
      store: sessionStore,
      secret: 'bench-session-secret',
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 8 * 3600_000 },
    }),
  );
  app.use(auth.initialize());
  app.use(auth.session());
  const selfService = mfaKit.selfServiceRouter();
  app.post('/login/totp', (req, res, next) => {
    req.url = '/sign-in/totp';
    selfService(req, res, next);
  });
  app.use('/mfa', selfService);
  app.use(express.json());
  const findUser = (req: express.Request) => users.byName(String(req.body?.username ?? ''));
  app.post('/login', mfaKit.passwordGuard({ findUser }), mfaKit.startSignIn());
  app.get('/app', mfaKit.requireMfa(), (req, res) => res.json({ user: (req.user as { id: string }).id }));
  app.use(mfaKit.errorHandler());

  const secrets = await enrolAll(mfa, users.all());
  return { app, secrets };
}

async function enrolAll(
  mfa: Mfa,
  users: ReturnType<ReturnType<typeof createUserDb>['all']>,
): Promise<string[]> {
  const secrets: string[] = new Array(users.length);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const index = next++;
      const user = users[index]!;
      const enrolment = await mfa.totp.beginEnrolment(user);
      const previousStep = generateTOTP(decodeBase32(enrolment.secret), {
        timeInMs: Date.now() - 30_000,
        periodInSeconds: 30,
        digits: 6,
        algorithm: 'SHA1',
      });
      const confirmed = await mfa.totp.confirmEnrolment(user, enrolment.sealedSecret, previousStep, {
        ip: '192.0.2.1',
      });
      if (!confirmed.ok)
        throw new Error(`bench: enrolment of ${user.id} failed: ${JSON.stringify(confirmed)}`);
      secrets[index] = enrolment.secret;
    }
  };
  await Promise.all(Array.from({ length: ENROL_CONCURRENCY }, worker));
  return secrets;
}
