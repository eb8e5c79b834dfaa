/**
 * A real app for the admin tests: Express 5 + express-session on connect-redis
 * (with mfa-kit's session index) + Passport local, mfa-kit's sign-in and
 * self-service router, the admin router and the unlock router, all on the
 * run's Redis under a unique prefix. The clock is the test's.
 */
import { randomBytes } from 'node:crypto';
import {
  type Mfa,
  type MfaEvent,
  type MfaOptions,
  type MfaUser,
  type SmsMessage,
  createMfa,
} from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import {
  type AdminUserView,
  type MfaExpressOptions,
  type Privilege,
  type UserDirectory,
  createAdminRouter,
  createMfaExpress,
  createRedisSessionIndex,
  createSessionRevoker,
  createUnlockRouter,
  indexSessions,
} from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import express from 'express';
import type { Redis } from 'ioredis';
import { generateSync } from 'otplib';
import passportModule from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import supertest from 'supertest';
import { createTestRedis, uniquePrefix } from '../harness/index.js';

/** The origin the test "browser" sends (the CSRF check allows only it). */
export const ORIGIN = 'https://admin.example.test';

/** A user of the test app. Password: `pw-<id>`. */
export interface TestUser extends AdminUserView {
  orgId: string | null;
}

/** The test app and handles on everything the tests look at. */
export interface AdminTestApp {
  app: express.Express;
  mfa: Mfa;
  redis: Redis;
  prefix: string;
  users: Map<string, TestUser>;
  /** SMS the app "sent". */
  sms: SmsMessage[];
  /** Unlock links the app "mailed". */
  unlockMails: Array<{ userId: string; token: string; expiresAt: number }>;
  /** Moves the test clock. */
  advance(ms: number): void;
  now(): number;
  /** Adds a user to the directory. */
  addUser(user: Omit<TestUser, 'name' | 'email'> & { name?: string; email?: string }): TestUser;
  /** Enrols TOTP for the user through core; returns the base32 secret. */
  enrolTotp(user: TestUser): Promise<string>;
  /** The current TOTP code for a secret at the test clock. */
  totp(secret: string): string;
  /** Signs in with password (+ TOTP when challenged) and returns the agent holding the session. */
  signIn(user: TestUser, secret?: string): Promise<supertest.Agent>;
  /** Every event of the run's log for a user, newest first. */
  eventsOf(userId: string): Promise<MfaEvent[]>;
  close(): Promise<void>;
}

/** Options of {@link createAdminTestApp}. */
export interface AdminTestAppOptions {
  privileges?: Record<string, Privilege[]>;
  policy?: MfaOptions['policy'];
  /**
   * @default the password step counts toward the account lock (an opt-in, see the core README): these
   * tests lock accounts by failed sign-ins to exercise unlocking; how locks arise is tested in
   * test/express/lockout-abuse.test.ts.
   */
  limits?: MfaOptions['limits'];
}

/** Builds the app. Call `close()` in `afterAll`. */
export async function createAdminTestApp(options: AdminTestAppOptions = {}): Promise<AdminTestApp> {
  const redis = createTestRedis();
  const prefix = uniquePrefix('admin');
  let nowMs = Date.UTC(2026, 2, 1, 9, 0, 0);
  const clock = { now: () => nowMs };
  const users = new Map<string, TestUser>();
  const sms: SmsMessage[] = [];
  const unlockMails: Array<{ userId: string; token: string; expiresAt: number }> = [];

  const sessionStore = new RedisStore({ client: redis, prefix: `${prefix}sess:` });
  const index = createRedisSessionIndex({ client: redis, prefix });
  const mfa = createMfa({
    // The policy cache expires when the test moves this clock (e.g. after the CLI, another process, saved one).
    backend: createRedisBackend({ client: redis, prefix, clockSource: 'caller', clock }),
    encryption: { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' },
    hashKey: randomBytes(32),
    issuer: 'Admin Test',
    clock,
    sms: {
      sender: {
        name: 'test',
        async send(message) {
          sms.push(message);
          return { id: `SM${sms.length}` };
        },
      },
    },
    unlock: {
      delivery: {
        async deliver(message) {
          unlockMails.push(message);
        },
      },
    },
    sessionRevoker: createSessionRevoker({ sessionStore, index }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    limits: options.limits ?? { password: { countsTowardLock: true } },
  });

  const toMfaUser = (u: TestUser): MfaUser => ({ id: u.id, orgId: u.orgId ?? undefined, roles: u.roles });
  const passport = new passportModule.Authenticator();
  passport.use(
    new LocalStrategy((username, password, done) => {
      const user = users.get(username);
      done(null, user !== undefined && password === `pw-${user.id}` ? toMfaUser(user) : false);
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as MfaUser).id));
  passport.deserializeUser((id: string, done) => {
    const user = users.get(id);
    done(null, user === undefined ? false : toMfaUser(user));
  });
  const kit = createMfaExpress({
    mfa,
    // @types/passport types `new Authenticator()` and the `Authenticator` export differently; same object.
    passport: passport as unknown as MfaExpressOptions['passport'],
    loadUser: (id) => {
      const user = users.get(id);
      return user === undefined ? null : toMfaUser(user);
    },
    allowedOrigins: [ORIGIN],
  });

  const directory: UserDirectory = {
    async findById(id) {
      return users.get(id) ?? null;
    },
    async search({ text, orgId, limit, cursor }) {
      const all = [...users.values()]
        .filter((u) => orgId === undefined || (u.orgId ?? null) === orgId)
        .filter(
          (u) => text === '' || `${u.id} ${u.name} ${u.email}`.toLowerCase().includes(text.toLowerCase()),
        )
        .sort((a, b) => a.id.localeCompare(b.id));
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = all.slice(start, start + limit);
      return { users: page, nextCursor: start + limit < all.length ? String(start + limit) : null };
    },
    async setRoles(id, roles) {
      const user = users.get(id);
      if (user !== undefined) users.set(id, { ...user, roles });
    },
  };

  const app = express();
  app.use(
    kit.session({
      store: indexSessions(sessionStore, index),
      secret: 'admin-test-secret',
      resave: false,
      saveUninitialized: false,
      cookie: { sameSite: 'lax' },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.post('/login', express.json(), kit.passwordGuard(), kit.startSignIn());
  app.use('/mfa', kit.selfServiceRouter());
  app.get('/app/me', kit.requireMfa(), (req, res) => {
    res.json({ id: (req.user as MfaUser).id });
  });
  app.use(
    '/admin/mfa',
    createAdminRouter({
      mfa,
      users: directory,
      allowedOrigins: [ORIGIN],
      ...(options.privileges === undefined ? {} : { privileges: options.privileges }),
    }),
  );
  app.use(
    '/account',
    createUnlockRouter({
      mfa,
      allowedOrigins: [ORIGIN],
      findUserByIdentifier: async (identifier) => {
        const user = [...users.values()].find((u) => u.email === identifier || u.id === identifier);
        return user === undefined ? null : toMfaUser(user);
      },
    }),
  );

  const totp = (secret: string) => generateSync({ secret, epoch: Math.floor(nowMs / 1000) });

  const result: AdminTestApp = {
    app,
    mfa,
    redis,
    prefix,
    users,
    sms,
    unlockMails,
    advance(ms) {
      nowMs += ms;
    },
    now: () => nowMs,
    addUser(input) {
      const user: TestUser = {
        name: input.name ?? `User ${input.id}`,
        email: input.email ?? `${input.id}@example.test`,
        id: input.id,
        orgId: input.orgId,
        roles: input.roles,
      };
      users.set(user.id, user);
      return user;
    },
    async enrolTotp(user) {
      const enrolment = await mfa.totp.beginEnrolment(toMfaUser(user));
      const confirmed = await mfa.totp.confirmEnrolment(
        toMfaUser(user),
        enrolment.sealedSecret,
        totp(enrolment.secret),
        {},
      );
      if (!confirmed.ok) throw new Error(`TOTP enrolment failed: ${confirmed.code}`);
      // The enrolment burnt this step; the next sign-in needs a new one.
      nowMs += 30_000;
      return enrolment.secret;
    },
    totp,
    async signIn(user, secret) {
      const agent = supertest.agent(app).set('Origin', ORIGIN);
      const login = await agent.post('/login').send({ username: user.id, password: `pw-${user.id}` });
      if (login.body.status === 'challenge') {
        if (secret === undefined) throw new Error(`${user.id} was challenged but the test has no secret`);
        const verified = await agent.post('/mfa/sign-in/totp').send({ code: totp(secret) });
        if (verified.status !== 200) throw new Error(`TOTP sign-in failed: ${JSON.stringify(verified.body)}`);
        nowMs += 30_000;
      } else if (login.body.status !== 'signed-in') {
        throw new Error(`sign-in of ${user.id} failed: ${login.status} ${JSON.stringify(login.body)}`);
      }
      return agent;
    },
    async eventsOf(userId) {
      return (await mfa.events.query({ userId, limit: 500 })).events;
    },
    async close() {
      await redis.quit();
    },
  };
  return result;
}
