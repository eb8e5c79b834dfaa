/**
 * The app every express flow test drives: Express 5 + express-session in
 * Redis (connect-redis 8.1 + ioredis, unique prefix) + Passport 0.7 with
 * passport-local, and mfa-kit on the Redis backend of the run's private
 * Redis, with an injected clock and a fake SMS sender.
 */
import {
  type Clock,
  MfaError,
  type MfaEvent,
  type MfaPolicy,
  type MfaUser,
  type SmsMessage,
  type SmsSender,
  createMfa,
  decodeBase32,
  generateTOTP,
} from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import {
  type MfaExpress,
  createMfaExpress,
  createRedisSessionIndex,
  createSessionRevoker,
  indexSessions,
} from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import express, { type Express } from 'express';
import type { Cluster, Redis } from 'ioredis';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Agent } from 'supertest';
import { createTestRedis, uniquePrefix } from '../harness/index.js';

/** The origin the test app trusts; every state-changing test request sends it. */
export const ORIGIN = 'http://app.test';

/** A user of the app: the app owns users, mfa-kit only sees id, roles and org. */
export interface TestUser extends MfaUser {
  id: string;
  password: string;
  roles: string[];
  orgId: string;
}

/** Users of the test app. `bob` is an admin; `carol` is in another organisation. */
export function createUsers(): Map<string, TestUser> {
  return new Map(
    [
      { id: 'alice', password: 'alice-pw', roles: ['user'], orgId: 'org-1' },
      { id: 'bob', password: 'bob-pw', roles: ['admin'], orgId: 'org-1' },
      { id: 'carol', password: 'carol-pw', roles: ['user'], orgId: 'org-2' },
      { id: 'dave', password: 'dave-pw', roles: ['user'], orgId: 'org-1' },
    ].map((user) => [user.id, user]),
  );
}

/** A clock tests move by hand; starts 10 s into a TOTP step. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
}

function createFakeClock(): FakeClock {
  let time = Date.UTC(2026, 0, 15, 9, 0, 10);
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** An SMS sender that records messages and fails on demand. */
export interface FakeSms extends SmsSender {
  sent: SmsMessage[];
  failNext: MfaError | null;
  lastCode(): string;
}

function createFakeSms(): FakeSms {
  const sms: FakeSms = {
    name: 'fake-sms',
    sent: [],
    failNext: null,
    async send(message) {
      if (sms.failNext !== null) {
        const error = sms.failNext;
        sms.failNext = null;
        throw error;
      }
      sms.sent.push(message);
      return { id: `SM${sms.sent.length}` };
    },
    lastCode() {
      const match = /(\d{6,8})/.exec(sms.sent.at(-1)?.body ?? '');
      if (!match?.[1]) throw new Error('no SMS code sent');
      return match[1];
    },
  };
  return sms;
}

/** Options of {@link createTestApp}. */
export interface TestAppOptions<Client extends Redis | Cluster = Redis> {
  policy?: Partial<MfaPolicy>;
  pendingTtlMs?: number;
  /** Replaces the recording fake (e.g. the Twilio sender pointed at the fake Twilio server). */
  smsSender?: SmsSender;
  /**
   * Every store (sessions, mfa-kit, session index) on this client instead of a
   * fresh connection to the run's Redis (e.g. the harness's Redis Cluster). The
   * caller owns it: `close()` leaves it open.
   */
  client?: Client;
  /**
   * Whose clock mfa-kit's Redis limiter uses. `caller` (the default here): the
   * test's fake clock, so tests can wait out cooldowns by moving it; `redis`:
   * Redis TIME, what production uses (see test/redis/clock-skew.test.ts).
   */
  clockSource?: 'redis' | 'caller';
  /** Limits passed to createMfa. */
  limits?: Parameters<typeof createMfa>[0]['limits'];
  /** WebAuthn passed to createMfa (none by default: the passkey ceremonies then answer 404). */
  webauthn?: Parameters<typeof createMfa>[0]['webauthn'];
  /**
   * The key space of another test app (its `keyBase`): this app is then a
   * second app server on the same data (sessions, records, policy), with its
   * own process state (the policy cache) and its own clock.
   */
  keyBase?: string;
}

/** A running test app and its moving parts. */
export interface TestApp<Client extends Redis | Cluster = Redis> {
  app: Express;
  kit: MfaExpress;
  mfa: ReturnType<typeof createMfa>;
  clock: FakeClock;
  sms: FakeSms;
  users: Map<string, TestUser>;
  redis: Client;
  /** Revokes a user's sessions (the revoker mfa-kit was given). */
  sessionRevoker: ReturnType<typeof createSessionRevoker>;
  /** Prefix of the session keys in Redis. */
  sessionPrefix: string;
  /** Prefix of mfa-kit's keys (store, policy, events, session index). */
  mfaPrefix: string;
  /** Common prefix of every key of this app. */
  keyBase: string;
  events: MfaEvent[];
  close(): Promise<void>;
}

/** Builds the app on a fresh key space of the run's Redis. */
export function createTestApp<Client extends Redis | Cluster = Redis>(
  options: TestAppOptions<Client> = {},
): TestApp<Client> {
  const redis = options.client ?? (createTestRedis() as Client);
  const base = options.keyBase ?? uniquePrefix('express');
  const sessionPrefix = `${base}sess:`;
  const mfaPrefix = `${base}mfa:`;
  const clock = createFakeClock();
  const sms = createFakeSms();
  const users = createUsers();

  const sessionStore = indexSessions(
    new RedisStore({ client: redis, prefix: sessionPrefix }),
    createRedisSessionIndex({ client: redis, prefix: mfaPrefix }),
  );
  const index = createRedisSessionIndex({ client: redis, prefix: mfaPrefix });
  const sessionRevoker = createSessionRevoker({ sessionStore, index });
  const mfa = createMfa({
    backend: createRedisBackend({
      client: redis,
      prefix: mfaPrefix,
      clockSource: options.clockSource ?? 'caller',
      // The policy cache expires when the test moves this clock, never by itself.
      clock,
    }),
    limits: options.limits,
    ...(options.webauthn === undefined ? {} : { webauthn: options.webauthn }),
    encryption: { keys: { k1: Buffer.alloc(32, 3) }, currentKeyId: 'k1' },
    hashKey: 'express-flow-tests-hash-key-of-at-least-32-bytes',
    issuer: 'Test App',
    clock,
    sms: { sender: options.smsSender ?? sms },
    policy: options.policy,
    sessionRevoker,
  });
  const events: MfaEvent[] = [];
  mfa.events.subscribe((event) => void events.push(event));

  const auth = new passport.Passport();
  auth.use(
    new LocalStrategy((username, password, done) => {
      const user = users.get(username);
      done(null, user !== undefined && user.password === password ? user : false);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as TestUser).id));
  auth.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));

  const kit = createMfaExpress({
    mfa,
    passport: auth,
    loadUser: (id) => users.get(id) ?? null,
    allowedOrigins: [ORIGIN],
    pendingTtlMs: options.pendingTtlMs,
  });

  const app = express();
  app.use(
    kit.session({
      store: sessionStore,
      secret: 'express-flow-tests-session-secret',
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false },
    }),
  );
  app.use(auth.initialize());
  app.use(auth.session());
  // Mounted before the app's own body parser, so the router's small limit and
  // uniform errors apply to its routes (an app-wide parser would answer first).
  app.use('/mfa', kit.selfServiceRouter());
  app.use(express.json({ limit: '10kb' }));
  app.post('/login', kit.passwordGuard(), kit.startSignIn());
  app.get('/private', kit.requireMfa(), (req, res) => {
    res.json({ user: (req.user as TestUser).id });
  });
  app.post('/transfer', kit.requireMfa(), kit.stepUp({ maxAgeMs: 60_000 }), (_req, res) => {
    res.json({ transferred: true });
  });
  // express-session + Passport alone, for comparing store round trips with requireMfa().
  app.get('/plain', (req, res) => {
    res.json({ user: (req.user as TestUser | undefined)?.id ?? null });
  });
  app.get('/reports', kit.requireMfa(), (_req, res) => {
    res.json({ reports: [] });
  });

  return {
    app,
    kit,
    mfa,
    clock,
    sms,
    users,
    redis,
    sessionRevoker,
    sessionPrefix,
    mfaPrefix,
    keyBase: base,
    events,
    async close() {
      if (!options.client) await redis.quit();
    },
  };
}

/** The TOTP code of `secret` at time `timeInMs` (RFC 6238 defaults). */
export function totp(secret: string, timeInMs: number): string {
  return generateTOTP(decodeBase32(secret), { timeInMs, periodInSeconds: 30, digits: 6, algorithm: 'SHA1' });
}

/** A six-digit code that is none of the codes accepted around `timeInMs`. */
export function wrongTotp(secret: string, timeInMs: number): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totp(secret, timeInMs + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** POSTs JSON from the allowed origin. */
export function post(agent: Agent, path: string, body?: object) {
  const request = agent.post(path).set('Origin', ORIGIN);
  return body === undefined ? request : request.send(body);
}

/** Password step for `userId` (correct password unless given). */
export function login(t: Pick<TestApp, 'users'>, agent: Agent, userId: string, password?: string) {
  return post(agent, '/login', { username: userId, password: password ?? t.users.get(userId)?.password });
}

/**
 * Signs `userId` in with optional MFA (no factors yet), enrols TOTP through
 * the self-service routes and returns the secret and recovery codes. Moves
 * the clock one step on so the next code is fresh.
 */
export async function enrolTotp(
  t: TestApp,
  agent: Agent,
  userId: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const signedIn = await login(t, agent, userId);
  if (signedIn.body.status !== 'signed-in')
    throw new Error(`expected login: ${JSON.stringify(signedIn.body)}`);
  const started = await post(agent, '/mfa/totp/enrol');
  if (started.status !== 200) throw new Error(`enrol: ${JSON.stringify(started.body)}`);
  const secret: string = started.body.secret;
  const confirmed = await post(agent, '/mfa/totp/confirm', { code: totp(secret, t.clock.now()) });
  if (confirmed.status !== 200) throw new Error(`confirm: ${JSON.stringify(confirmed.body)}`);
  t.clock.advance(30_000);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes };
}

/** Redis keys of the sessions of this app. */
export async function sessionKeys(t: TestApp): Promise<string[]> {
  return t.redis.keys(`${t.sessionPrefix}*`);
}

export { MfaError };
