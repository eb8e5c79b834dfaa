// Issue 4 ("every existing session of that user stops working at its next
// request", seed 001) on Redis Cluster: the session index lives at
// `<prefix>{u:<id>}:sessions` (the user's slot) while connect-redis keeps
// each session at `sess:<sid>`, in slots of its own. Revocation must work
// without any command that spans slots (CROSSSLOT on Cluster).
import { type MfaUser, createMfa } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import {
  createMfaExpress,
  createRedisSessionIndex,
  createSessionRevoker,
  indexSessions,
} from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import express, { type Express } from 'express';
import session from 'express-session';
import type { Cluster } from 'ioredis';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import request, { type Agent } from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestCluster, uniquePrefix } from '../harness/index.js';

const ORIGIN = 'http://cluster-app.test';

interface User extends MfaUser {
  id: string;
  password: string;
  roles: string[];
  orgId: string;
}

const users = new Map<string, User>(
  ['alice', 'dave'].map((id) => [id, { id, password: `${id}-pw`, roles: ['user'], orgId: 'org-1' }]),
);

let cluster: Cluster;
let app: Express;
let mfa: ReturnType<typeof createMfa>;
let revoker: ReturnType<typeof createSessionRevoker>;
let sessionPrefix = '';
let mfaPrefix = '';

/** The app of `test/express/test-app.ts`, reduced to what revocation needs, with every store on the Cluster. */
function build(): void {
  const base = uniquePrefix('cluster-revoke');
  sessionPrefix = `${base}sess:`;
  mfaPrefix = `${base}mfa:`;
  const sessionStore = indexSessions(
    new RedisStore({ client: cluster, prefix: sessionPrefix }),
    createRedisSessionIndex({ client: cluster, prefix: mfaPrefix }),
  );
  revoker = createSessionRevoker({
    sessionStore,
    index: createRedisSessionIndex({ client: cluster, prefix: mfaPrefix }),
  });
  mfa = createMfa({
    backend: createRedisBackend({ client: cluster, prefix: mfaPrefix }),
    encryption: { keys: { k1: Buffer.alloc(32, 7) }, currentKeyId: 'k1' },
    hashKey: 'cluster-revocation-test-hash-key-of-32-bytes+',
    issuer: 'Cluster Test',
    sessionRevoker: revoker,
  });
  const auth = new passport.Passport();
  auth.use(
    new LocalStrategy((username, password, done) => {
      const user = users.get(username);
      done(null, user !== undefined && user.password === password ? user : false);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as User).id));
  auth.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));
  const kit = createMfaExpress({
    mfa,
    passport: auth,
    loadUser: (id) => users.get(id) ?? null,
    allowedOrigins: [ORIGIN],
  });
  app = express();
  app.use(
    session({
      store: sessionStore,
      secret: 'cluster-revocation-test-session-secret',
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false },
    }),
  );
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(express.json({ limit: '10kb' }));
  app.post('/login', kit.passwordGuard(), kit.startSignIn());
  app.get('/private', kit.requireMfa(), (req, res) => {
    res.json({ user: (req.user as User).id });
  });
}

/** A signed-in browser of `userId` (MFA optional and not set up: the password step logs in). */
async function signIn(userId: string): Promise<Agent> {
  const agent = request.agent(app);
  const res = await agent
    .post('/login')
    .set('Origin', ORIGIN)
    .send({ username: userId, password: users.get(userId)?.password });
  expect(res.body.status).toBe('signed-in');
  expect((await agent.get('/private')).body).toEqual({ user: userId });
  return agent;
}

const keySlot = async (key: string) => Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
const indexKey = (userId: string) => `${mfaPrefix}{u:${userId}}:sessions`;

beforeAll(async () => {
  cluster = createTestCluster();
  // Fail fast if the harness cluster is not a cluster (3 masters).
  expect((await cluster.call('CLUSTER', 'INFO')) as string).toContain('cluster_state:ok');
});

afterAll(async () => {
  await cluster?.quit();
});

beforeEach(() => {
  build();
});

describe('session revocation on Redis Cluster', () => {
  it('an admin reset ends both live sessions of the user at their next request; another user is untouched', async () => {
    const laptop = await signIn('alice');
    const phone = await signIn('alice');
    const other = await signIn('dave');
    const sids = await cluster.smembers(indexKey('alice'));
    expect(sids).toHaveLength(2);
    // The point of this test: the index and the sessions it names sit in
    // different slots, so no single command may touch both.
    const indexSlot = await keySlot(indexKey('alice'));
    const sessionSlots = await Promise.all(sids.map((sid) => keySlot(`${sessionPrefix}${sid}`)));
    expect(sessionSlots.some((slot) => slot !== indexSlot)).toBe(true);

    await mfa.admin.reset({ kind: 'admin', id: 'root' }, users.get('alice') as User, {
      reason: 'lost phone',
    });

    expect((await laptop.get('/private')).status).toBe(401);
    expect((await phone.get('/private')).status).toBe(401);
    expect((await other.get('/private')).body).toEqual({ user: 'dave' });
    for (const sid of sids) expect(await cluster.exists(`${sessionPrefix}${sid}`)).toBe(0);
    expect(await cluster.exists(indexKey('alice'))).toBe(0);
    expect(await cluster.smembers(indexKey('dave'))).toHaveLength(1);
  });

  it('revokeAll ("log out everywhere") does the same through the revoker alone', async () => {
    const first = await signIn('alice');
    const second = await signIn('alice');
    const other = await signIn('dave');

    await revoker.revokeAll('alice');

    expect((await first.get('/private')).status).toBe(401);
    expect((await second.get('/private')).status).toBe(401);
    expect((await other.get('/private')).status).toBe(200);
    // Signing in again files a fresh session that works.
    const again = await signIn('alice');
    expect((await again.get('/private')).status).toBe(200);
    expect(await cluster.smembers(indexKey('alice'))).toHaveLength(1);
  });
});
