import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import type { Redis } from 'ioredis';
import passport from 'passport';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_CACHE_MS } from '@mfa-kit/core/redis';
import { createTestRedis, uniquePrefix } from '../harness/index.js';
import { countRoundTrips } from './count-round-trips.js';
import { type TestApp, createTestApp, enrolTotp, login, post, totp } from './test-app.js';

let t: TestApp;
let baselineRedis: Redis;
let monitorClient: Redis;
let seen: string[][] = [];
let markers = 0;
const baselinePrefix = uniquePrefix('baseline');

/**
 * The same stack without mfa-kit: express-session + connect-redis + Passport
 * with `req.login`, on its own ioredis client of the same Redis.
 */
function createBaselineApp(client: Redis) {
  const auth = new passport.Passport();
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, { id }));
  const app = express();
  app.use(
    session({
      store: new RedisStore({ client, prefix: `${baselinePrefix}sess:` }),
      secret: 'baseline-secret',
      resave: false,
      saveUninitialized: false,
    }),
  );
  app.use(auth.initialize());
  app.use(auth.session());
  app.post('/login/:id', (req, res, next) =>
    req.login({ id: String(req.params['id']) }, (error) => (error ? next(error) : res.json({ ok: true }))),
  );
  app.get('/plain', (req, res) => {
    res.json({ user: (req.user as { id: string } | undefined)?.id ?? null });
  });
  return app;
}

beforeAll(async () => {
  t = createTestApp();
  baselineRedis = createTestRedis();
  monitorClient = createTestRedis();
  const monitor = await monitorClient.monitor();
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args.some((arg) => String(arg).includes(t.keyBase) || String(arg).includes(baselinePrefix)))
      seen.push(args.map(String));
  });
});
afterAll(async () => {
  monitorClient.disconnect();
  baselineRedis.disconnect();
  await t.close();
});

/**
 * Commands on this test's keys caused by `action`, and the sequential round
 * trips of `client` during it, measured on its second run (the first may
 * still save a freshly modified session). Marker GETs fence MONITOR's
 * asynchronous delivery, so nothing depends on timing.
 */
async function measure(client: Redis, action: () => Promise<unknown>) {
  const marker = `${t.keyBase}marker:${markers++}`;
  await action();
  seen = [];
  const before = `${t.keyBase}fence:${markers}`;
  await t.redis.get(before);
  await waitFor(before);
  seen = [];
  const counter = countRoundTrips(client);
  await action();
  const { roundTrips } = counter.stop();
  await t.redis.get(marker);
  await waitFor(marker);
  const commands = seen.filter(
    (args) => !args.some((arg) => arg.includes(':marker:') || arg.includes(':fence:')),
  );
  return { commands, names: commands.map((args) => args[0]!.toLowerCase()), roundTrips };
}

async function waitFor(key: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (seen.some((args) => args.includes(key))) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`MONITOR never showed ${key}`);
}

describe('Redis round trips of an ordinary authenticated request', () => {
  it('the session epoch read adds one command and no sequential round trip, the policy read (once per policyCacheMs) two more and none either; requireMfa() adds nothing', async () => {
    const baseline = createBaselineApp(baselineRedis);
    const plainAgent = request.agent(baseline);
    await plainAgent.post('/login/zoe').expect(200);

    const { secret } = await enrolTotp(t, request.agent(t.app), 'alice');
    const withMfa = request.agent(t.app);
    await login(t, withMfa, 'alice');
    expect((await post(withMfa, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) })).status).toBe(
      200,
    );
    const withoutMfa = request.agent(t.app);
    await login(t, withoutMfa, 'dave');

    const alone = await measure(baselineRedis, () => plainAgent.get('/plain').expect(200));
    const plain = await measure(t.redis, () => withMfa.get('/plain').expect(200));
    const guarded = await measure(t.redis, () => withMfa.get('/private').expect(200));
    const guardedOptional = await measure(t.redis, () => withoutMfa.get('/private').expect(200));
    // Each run finds the policy cache expired (the backend's clock is the test's).
    const uncached = await measure(t.redis, async () => {
      t.clock.advance(DEFAULT_POLICY_CACHE_MS);
      await withMfa.get('/private').expect(200);
    });

    // express-session + connect-redis alone: GET the session, EXPIRE it (touch), one after the other.
    expect(alone.names).toEqual(['get', 'expire']);
    expect(alone.roundTrips).toBe(2);
    // mfa-kit's session store: the user's epoch (HGET) goes out with the session GET; the policy
    // (requireMfa() checks a signed-in session's factor against phishing-resistant roles, issue 14)
    // comes from the backend's cache (`policyCacheMs`, default 1 s).
    expect(plain.names).toEqual(['get', 'hget', 'expire']);
    expect(plain.commands[1]?.[1]).toContain(`${t.mfaPrefix}{u:alice}:record`);
    expect(plain.commands[1]?.[2]).toBe('epoch');
    expect(plain.roundTrips).toBe(alone.roundTrips);
    // Once the cache has expired, the policy (GET, with the deployment marker's GET that makes a wiped
    // store STORE_RESET instead of "MFA not required") goes out with the session GET: no round trip more.
    expect(uncached.names).toEqual(['get', 'hget', 'get', 'get', 'expire']);
    expect(uncached.commands.find((args) => args[1]?.endsWith('policy'))?.[0]?.toLowerCase()).toBe('get');
    expect(uncached.commands.find((args) => args[1]?.endsWith('deployment'))?.[0]?.toLowerCase()).toBe('get');
    expect(uncached.roundTrips).toBe(alone.roundTrips);
    // requireMfa() after MFA reads nothing more.
    expect(guarded.names).toEqual(plain.names);
    expect(guarded.roundTrips).toBe(plain.roundTrips);
    // A session let in without MFA: requireMfa re-checks the policy loaded with the session, so nothing more.
    expect(guardedOptional.names).toEqual(plain.names);
    expect(guardedOptional.roundTrips).toBe(plain.roundTrips);
    console.info(
      `[round trips] express-session alone: ${alone.names.join(', ')} in ${alone.roundTrips} round trips; ` +
        `mfa-kit session: ${plain.names.join(', ')} in ${plain.roundTrips}; policy cache expired: ` +
        `${uncached.names.join(', ')} in ${uncached.roundTrips}; requireMfa after MFA: ` +
        `${guarded.names.join(', ')} in ${guarded.roundTrips}; requireMfa without MFA: ` +
        `${guardedOptional.names.join(', ')} in ${guardedOptional.roundTrips}`,
    );
  });
});
