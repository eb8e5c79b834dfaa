/**
 * Redis round trips of each sign-in phase of mfa-kit wired as the express
 * README's "Complete example" (the app `npm run bench` measures,
 * `test/bench/http/mfa-kit-app.ts`), next to the benchmark's floor
 * (express-session + connect-redis + passport `req.login`, no MFA logic).
 * Counts, never time: commands the app's client sends and the sequential
 * round trips among them (`count-round-trips.ts`), on a private Redis.
 *
 * Issue 13's targets are asserted beside the exact trips: correct code ≤ the
 * floor's + 1, password step ≤ 2, authenticated GET = the floor's.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchUser } from '../bench/http/contract.js';
import { type Client, newClient, Pool, send, userIp } from '../bench/http/driver.js';
import { createFloorApp } from '../bench/http/floor-app.js';
import { createMfaKitApp } from '../bench/http/mfa-kit-app.js';
import { createReferenceApp } from '../bench/http/reference-app.js';
import { code, wrongCodes } from '../bench/http/run-app.js';
import { DEFAULT_POLICY_CACHE_MS } from '@mfa-kit/core/redis';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import { countRoundTrips, type RoundTrips } from './count-round-trips.js';

interface Running {
  redis: Redis;
  /** A second connection for the test's own commands (INFO, CONFIG): never counted as the app's. */
  admin: Redis;
  server: Server;
  pool: Pool;
  secrets: Array<string | null>;
}

let redisServer: PrivateRedisServer;
const running: Running[] = [];
/**
 * The clock of mfa-kit's policy cache (`policyCacheMs`, 1 s by default): it moves only when the test
 * says, so whether a phase finds the policy cached never depends on how long the run took.
 */
let policyClockMs = 0;
const policyClock = { now: () => policyClockMs };

async function start(
  build: typeof createMfaKitApp | typeof createFloorApp | typeof createReferenceApp,
): Promise<Running> {
  const redis = new Redis(redisServer.url);
  const admin = new Redis(redisServer.url);
  const { app, secrets } =
    build === createMfaKitApp ? await createMfaKitApp(redis, 4, policyClock) : await build(redis, 4);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
  const started = { redis, admin, server, pool, secrets };
  running.push(started);
  return started;
}

/** What Redis itself executed (`INFO commandstats` calls by command, scripts' commands included), minus the test's own INFO/CONFIG. */
async function commandsInRedis(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const name = match[1]!;
    if (name === 'info' || name.startsWith('config')) continue;
    calls[name] = Number(match[2]);
  }
  return calls;
}

async function measure(
  app: Running,
  action: () => Promise<{ status: number }>,
  status: number,
): Promise<RoundTrips & { inRedis: Record<string, number> }> {
  await app.admin.config('RESETSTAT');
  const counter = countRoundTrips(app.redis);
  const reply = await action();
  const counted = counter.stop();
  expect(reply.status).toBe(status);
  return { ...counted, inRedis: await commandsInRedis(app.admin) };
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((n, c) => n + c, 0);

/** Password step, wrong code (mfa-kit only), correct code and two authenticated GETs of user `index`. */
async function signIn(app: Running, index: number, withMfa: boolean) {
  const client: Client = newClient(userIp(index));
  const user = benchUser(index);
  const secret = app.secrets[index] ?? null;
  const password = await measure(
    app,
    () => send(app.pool, client, 'POST', '/login', { username: user.username, password: user.password }),
    200,
  );
  const wrong = withMfa
    ? await measure(
        app,
        () => send(app.pool, client, 'POST', '/login/totp', { code: wrongCodes(secret, 1)[0] }),
        401,
      )
    : null;
  const correct = await measure(
    app,
    () =>
      send(app.pool, client, 'POST', '/login/totp', {
        code: secret === null ? '000000' : code(secret, Date.now()),
      }),
    200,
  );
  await measure(app, () => send(app.pool, client, 'GET', '/app'), 200);
  const get = await measure(app, () => send(app.pool, client, 'GET', '/app'), 200);
  return { password, wrong, correct, get, client };
}

/** mfa-kit's keys of one user (the `{u:<id>}` hash tag), with `MEMORY USAGE` and TTL. */
async function userKeys(redis: Redis, userId: string) {
  const keys = (await redis.keys(`*{u:${userId}}*`)).sort();
  return Promise.all(
    keys.map(async (key) => ({
      key,
      bytes: Number(await redis.memory('USAGE', key)),
      ttl: await redis.pttl(key),
    })),
  );
}

const show = (counted: RoundTrips & { inRedis: Record<string, number> }) =>
  `${counted.commands} commands in ${counted.roundTrips} round trips: ` +
  counted.trips.map((trip) => trip.join('+')).join(' → ') +
  `; in Redis ${total(counted.inRedis)}: ${JSON.stringify(counted.inRedis)}`;

beforeAll(async () => {
  redisServer = await startRedisServer();
});
afterAll(async () => {
  for (const app of running) {
    await app.pool.close();
    app.server.close();
    app.redis.disconnect();
    app.admin.disconnect();
  }
  await redisServer?.stop();
});

describe('Redis round trips per sign-in phase (mfa-kit as the README wires it, the floor and the reference)', () => {
  it('counts commands and sequential round trips of the password step, a wrong code, the correct code and an authenticated GET', async () => {
    const floor = await start(createFloorApp);
    const mfaKit = await start(createMfaKitApp);
    const reference = await start(createReferenceApp);
    // The first sign-in loads the scripts (EVALSHA → NOSCRIPT → EVAL); measure the second.
    await signIn(floor, 0, false);
    await signIn(mfaKit, 0, true);
    await signIn(reference, 0, true);
    const alone = await signIn(floor, 1, false);
    const kit = await signIn(mfaKit, 1, true);
    const hand = await signIn(reference, 1, true);
    // Once the policy cache has expired, the GET that finds it so reads the policy beside the session.
    policyClockMs += DEFAULT_POLICY_CACHE_MS;
    const uncached = await measure(mfaKit, () => send(mfaKit.pool, kit.client, 'GET', '/app'), 200);

    const keys = await userKeys(mfaKit.redis, benchUser(1).id);
    console.info(
      [
        '[sign-in round trips]',
        `floor password step: ${show(alone.password)}`,
        `floor correct code: ${show(alone.correct)}`,
        `floor authenticated GET: ${show(alone.get)}`,
        `mfa-kit password step: ${show(kit.password)}`,
        `mfa-kit wrong code: ${show(kit.wrong!)}`,
        `mfa-kit correct code: ${show(kit.correct)}`,
        `mfa-kit authenticated GET: ${show(kit.get)}`,
        `mfa-kit authenticated GET, policy cache expired: ${show(uncached)}`,
        `reference password step: ${show(hand.password)}`,
        `reference wrong code: ${show(hand.wrong!)}`,
        `reference correct code: ${show(hand.correct)}`,
        `reference authenticated GET: ${show(hand.get)}`,
        `issue 13 targets: correct code ≤ floor + 1 = ${alone.correct.roundTrips + 1} (${kit.correct.roundTrips}); ` +
          `password step ≤ 2 (${kit.password.roundTrips}); GET = floor ${alone.get.roundTrips} (${kit.get.roundTrips})`,
        `mfa-kit keys of a signed-in user (MEMORY USAGE, TTL): ${keys.map((k) => `${k.key} ${k.bytes} B ${k.ttl < 0 ? 'no TTL' : 'TTL'}`).join('; ')}; ` +
          `without TTL ${keys.filter((k) => k.ttl < 0).reduce((n, k) => n + k.bytes, 0)} B`,
      ].join('\n  '),
    );

    // The floor: the pending user id saved; passport's req.login regenerates (GET, DEL) and
    // saves explicitly, then express-session saves again; a GET reads and touches.
    expect(alone.password.trips).toEqual([['set']]);
    expect(alone.correct.trips).toEqual([['get'], ['del'], ['set'], ['set']]);
    expect(alone.get.trips).toEqual([['get'], ['expire']]);
    // mfa-kit. The policy comes from the backend's cache (`policyCacheMs`, default 1 s; read by user 0's
    // sign-in): no policy GET and no deployment-marker GET beside it in any phase below.
    // Password step (issue 13: ≤ 2): the password report (attempt script) goes out beside the record
    // read and its deployment-marker GET (core's password.signIn), then the old id's DEL beside the new
    // pending session's SET and its epoch check.
    expect(kit.password.trips).toEqual([
      ['evalsha', 'evalsha', 'get'],
      ['del', 'set', 'hget'],
    ]);
    // Wrong code: session ∥ epoch; a slot of the address budget reserved (no record read: the code is
    // checked against the factor the pending sign-in carried); the decision; its event. No session touch:
    // the pending session's TTL (the cookie's 8 h) outlives the pending sign-in (session/pending-touch.ts).
    // 4 round trips, the reference's count.
    expect(kit.wrong!.trips).toEqual([['get', 'hget'], ['evalsha'], ['evalsha'], ['evalsha']]);
    expect(kit.wrong!.roundTrips).toBe(hand.wrong!.roundTrips);
    // Correct code (issue 13: ≤ floor + 1 = 5; now 4, the floor's): session ∥ epoch; the address budget
    // checked for room, nothing taken (no record read and no deployment-marker GET: the code matched the
    // factor the pending sign-in carried); the decision; then the success event (its script, XADD: sent
    // as the decision accepted the code, awaited beside the save, session/success-event.ts), the old id's
    // DEL, the new session's one SET (no second save), the session index (one script: SADD + PEXPIRE) and
    // the epoch check, all in one round trip.
    expect(kit.correct.trips).toEqual([
      ['get', 'hget'],
      ['evalsha'],
      ['evalsha'],
      ['evalsha', 'del', 'set', 'eval', 'hget'],
    ]);
    expect(kit.correct.roundTrips).toBe(alone.correct.roundTrips);
    expect(kit.password.roundTrips).toBeLessThanOrEqual(2);
    expect(kit.correct.roundTrips).toBeLessThanOrEqual(alone.correct.roundTrips + 1);
    // An authenticated GET: the epoch HGET rides with the session GET, so no extra round trip, and the
    // policy for requireMfa()'s factor check comes from the cache: one command more than the floor.
    expect(kit.get.trips).toEqual([['get', 'hget'], ['expire']]);
    expect(kit.get.roundTrips).toBe(alone.get.roundTrips);
    // The GET that finds the cache expired (once per policyCacheMs and process) reads the policy and the
    // deployment marker beside the session and its epoch (issue 14): two commands more, no round trip more.
    expect(uncached.trips).toEqual([['get', 'hget', 'get', 'get'], ['expire']]);
    expect(uncached.roundTrips).toBe(alone.get.roundTrips);

    // What Redis executes per phase (INFO commandstats: a script's own commands count), which the bench
    // README's "in Redis" column quotes. mfa-kit's correct code: no record read and no deployment-marker
    // GET (the pending sign-in carried the factor, issue 13), the budget looked at (TIME,
    // ZREMRANGEBYSCORE, ZCARD; no ZADD, PEXPIRE or ZREM refund), the decision (HGETALL limits, HMGET
    // record, GET of the old layout's step key, HSET step, HSET + PEXPIRE limits), the event (XADD: the
    // newest entry is read only when the event is older than it), the session (GET, DEL ×2, SET), the
    // index (EVAL: SADD, PEXPIRE) and two epoch HGETs.
    expect(alone.password.inRedis).toEqual({ set: 1 });
    expect(alone.correct.inRedis).toEqual({ get: 1, del: 1, set: 2 });
    expect(alone.get.inRedis).toEqual({ get: 1, expire: 1 });
    expect(kit.password.inRedis).toEqual({
      evalsha: 2,
      time: 1,
      hgetall: 1,
      hset: 1,
      pexpire: 1,
      exists: 1,
      hmget: 1,
      scard: 1,
      hget: 2,
      get: 1,
      del: 2,
      set: 1,
    });
    expect(kit.wrong!.inRedis).toEqual({
      get: 2,
      hget: 1,
      evalsha: 3,
      hmget: 1,
      time: 2,
      zremrangebyscore: 1,
      zcard: 1,
      zadd: 1,
      pexpire: 2,
      hgetall: 1,
      hset: 1,
      del: 1,
      xadd: 1,
    });
    expect(kit.correct.inRedis).toEqual({
      get: 2,
      hget: 2,
      evalsha: 3,
      time: 2,
      zremrangebyscore: 1,
      zcard: 1,
      pexpire: 2,
      hgetall: 1,
      hmget: 1,
      hset: 2,
      xadd: 1,
      del: 2,
      set: 1,
      eval: 1,
      sadd: 1,
    });
    expect(kit.get.inRedis).toEqual({ get: 1, hget: 1, expire: 1 });
    expect(uncached.inRedis).toEqual({ get: 3, hget: 1, expire: 1 });
    expect([kit.password, kit.wrong!, kit.correct, kit.get].map((phase) => total(phase.inRedis))).toEqual([
      15, 18, 23, 3,
    ]);
    // The reference stack (rate-limiter-flexible's recipe on otplib), for the README's comparison column.
    expect(
      [hand.password, hand.wrong!, hand.correct, hand.get].map((phase) => [
        phase.commands,
        phase.roundTrips,
        total(phase.inRedis),
      ]),
    ).toEqual([
      [1, 1, 1],
      [12, 4, 18],
      [13, 6, 13],
      [2, 2, 2],
    ]);

    // Issue 13, memory: only the record lives without a TTL (the TOTP factor, its last used step
    // `totpStep`, the epoch and the ten recovery codes as 16-byte tokens), at most 700 B per enrolled user.
    const untimed = keys.filter((k) => k.ttl < 0);
    expect(untimed.map((k) => k.key)).toEqual([`mfa:{u:${benchUser(1).id}}:record`]);
    expect(untimed[0]!.bytes).toBeLessThanOrEqual(700);
    // The keys with a TTL, as the bench README quotes them (296 B and 232 B on Redis 7.0): the limiter
    // state (with the retry marker of the last named attempt) and the session index with one entry.
    const timed = Object.fromEntries(
      keys.filter((k) => k.ttl > 0).map((k) => [k.key.split(':').at(-1), k.bytes]),
    );
    expect(Object.keys(timed).sort()).toEqual(['limits', 'sessions']);
    expect(timed['limits']).toBeLessThanOrEqual(320);
    expect(timed['sessions']).toBeLessThanOrEqual(250);
    expect(await mfaKit.redis.hexists(`mfa:{u:${benchUser(1).id}}:record`, 'totpStep')).toBe(1);
  });
});
