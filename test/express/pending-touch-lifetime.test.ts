/**
 * The touch skipped for a pending sign-in (`session/pending-touch.ts`) must
 * never end a session earlier than express-session's touch would have kept
 * it: only a session that holds nothing but the pending sign-in, in a store
 * whose TTL is the cookie's, can do without it. Over HTTP on real Redis
 * (connect-redis 8.1), in real time (Redis expires keys by its own clock).
 */
import { createMfa } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { createMfaExpress, createRedisSessionIndex, indexSessions } from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import express from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestRedis, uniquePrefix } from '../harness/index.js';
import { ORIGIN } from './test-app.js';

const redis = createTestRedis({ enableAutoPipelining: true });
afterAll(async () => {
  await redis.quit();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The README's wiring on Redis, with the session options and store TTL under test. Bob's role forces enrolment. */
function buildApp(options: {
  cookie: { maxAge: number };
  rolling: boolean;
  storeTtl?: (session: unknown) => number;
  pendingTtlMs: number;
}) {
  const prefix = uniquePrefix('pending-touch');
  const users = new Map([['bob', { id: 'bob', password: 'bob-pw', roles: ['admin'], orgId: 'org-1' }]]);
  const mfa = createMfa({
    backend: createRedisBackend({ client: redis, prefix: `${prefix}mfa:` }),
    encryption: { keys: { k1: Buffer.alloc(32, 3) }, currentKeyId: 'k1' },
    hashKey: 'pending-touch-tests-hash-key-of-at-least-32-bytes',
    issuer: 'Test App',
    policy: { requiredRoles: ['admin'] },
  });
  const auth = new passport.Passport();
  auth.use(
    new LocalStrategy((username, password, done) => {
      const user = users.get(username);
      done(null, user !== undefined && user.password === password ? user : false);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));
  const kit = createMfaExpress({
    mfa,
    passport: auth,
    loadUser: (id) => users.get(id) ?? null,
    allowedOrigins: [ORIGIN],
    pendingTtlMs: options.pendingTtlMs,
    keepSessionData: ['cart'],
  });
  const store = new RedisStore({
    client: redis,
    prefix: `${prefix}sess:`,
    ...(options.storeTtl === undefined ? {} : { ttl: options.storeTtl }),
  });
  const app = express();
  app.use(
    kit.session({
      store: indexSessions(store, createRedisSessionIndex({ client: redis, prefix: `${prefix}mfa:` })),
      secret: 'pending-touch-tests-session-secret',
      resave: false,
      saveUninitialized: false,
      rolling: options.rolling,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false, ...options.cookie },
    }),
  );
  app.use(auth.initialize());
  app.use(auth.session());
  app.use('/mfa', kit.selfServiceRouter());
  app.use(express.json());
  app.post('/login', kit.passwordGuard(), kit.startSignIn());
  // The shop's own session data, which the app keeps across the password step (`keepSessionData`).
  app.post('/cart', (req, res) => {
    (req.session as unknown as { cart: string[] }).cart = ['book'];
    res.json({ ok: true });
  });
  app.get('/cart', (req, res) => {
    res.json({ cart: (req.session as unknown as { cart?: string[] }).cart ?? null });
  });
  return supertest.agent(app);
}

describe('a pending sign-in’s session keeps living as long as it is used', () => {
  it('keeps the app’s data of a pending session alive on a rolling cookie (the touch extends it)', async () => {
    // A rolling 2 s idle timeout (connect-redis: EX 2), the pending sign-in 1 s: the cookie outlives it.
    const agent = buildApp({ cookie: { maxAge: 2_000 }, rolling: true, pendingTtlMs: 1_000 });
    await agent.post('/cart').set('Origin', ORIGIN).send({}).expect(200);
    const started = await agent
      .post('/login')
      .set('Origin', ORIGIN)
      .send({ username: 'bob', password: 'bob-pw' });
    expect(started.body.status).toBe('enrol');
    // The shopper gives up on the sign-in and keeps browsing: never idle for 2 s, for 4 s.
    for (let i = 0; i < 8; i++) {
      await sleep(500);
      const cart = await agent.get('/cart').expect(200);
      expect(cart.body.cart, `after ${(i + 1) * 500} ms of browsing`).toEqual(['book']);
    }
  });

  it('keeps a pending sign-in alive while it is used when the store’s TTL is its own (connect-redis `ttl`)', async () => {
    // An 8 h cookie, but connect-redis keeps sessions for 2 s past their last use (a server-side idle
    // timeout): the pending sign-in (60 s) outlives that TTL, which only the touches extend.
    const agent = buildApp({
      cookie: { maxAge: 8 * 3_600_000 },
      rolling: false,
      storeTtl: () => 2,
      pendingTtlMs: 60_000,
    });
    const started = await agent
      .post('/login')
      .set('Origin', ORIGIN)
      .send({ username: 'bob', password: 'bob-pw' });
    expect(started.body.status).toBe('enrol');
    for (let i = 0; i < 8; i++) {
      await sleep(500);
      const state = await agent.get('/mfa/sign-in').set('Origin', ORIGIN);
      expect(state.status, `after ${(i + 1) * 500} ms: ${state.text}`).toBe(200);
    }
    const enrol = await agent.post('/mfa/totp/enrol').set('Origin', ORIGIN).send({});
    expect(enrol.status, enrol.text).toBe(200);
  });
});
