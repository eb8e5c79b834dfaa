/**
 * Issue 10, item 7: a verification whose answer timed out (503
 * STORE_UNAVAILABLE) can still run on Redis afterwards: ioredis had already
 * sent it, and it spent the user's TOTP step. The code stays spent, but the
 * user who retries it from the same pending sign-in is not charged a failure
 * (core's retry marker, named by the session): the answer says so and asks
 * for the next code. Anyone else presenting that code (another session) is
 * refused and charged like any replay. The next code signs in.
 *
 * Replayed over HTTP against the example app on Redis. A relay between the
 * app's mfa-kit client and Redis holds the attempt script until the app gave
 * up on it, then delivers it: the command really times out and really runs
 * later.
 */
import { once } from 'node:events';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { createRedisSessionIndex } from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REQUEST_PATH_REDIS_OPTIONS } from '../../examples/example-app/src/redis-wiring.js';
import { attemptScript } from '../../packages/core/src/redis/scripts/attempt.lua.js';
import { type RunningExample, startExample, totpAt } from '../browser/example-server.js';
import { createTestRedis, redisUrl, uniquePrefix } from '../harness/index.js';
import { waitFor } from '../harness/redis-process.js';
import { type CommandHoldProxy, startCommandHoldProxy } from '../redis/command-hold-proxy.js';
import { agentOf, login, signInEnrolling } from './example-on-redis.js';

const ALICE = { id: 'u1', orgId: 'acme', roles: ['admin'] };
const prefix = uniquePrefix('timed-out-spend');
const mfaPrefix = `${prefix}mfa:`;

let proxy: CommandHoldProxy;
let viaProxy: Redis;
let direct: Redis;
let example: RunningExample;

beforeAll(async () => {
  proxy = await startCommandHoldProxy(Number(new URL(redisUrl()).port));
  // mfa-kit's client as the example wires it (1 s command timeout, no offline queue), through the relay.
  viaProxy = new Redis({ host: '127.0.0.1', port: proxy.port, ...REQUEST_PATH_REDIS_OPTIONS });
  viaProxy.on('error', () => {});
  await once(viaProxy, 'ready');
  direct = createTestRedis();
  example = await startExample({
    backend: createRedisBackend({ client: viaProxy, prefix: mfaPrefix }),
    // Sessions go straight to Redis: only mfa-kit's decision is held.
    sessionStore: new RedisStore({ client: direct, prefix: `${prefix}sess:` }),
    sessionIndex: createRedisSessionIndex({ client: direct, prefix: mfaPrefix }),
  });
});
afterAll(async () => {
  await example?.close();
  viaProxy?.disconnect();
  direct?.disconnect();
  await proxy?.close();
});

const post = (agent: ReturnType<typeof agentOf>, path: string, body: object) =>
  agent.post(`/api/mfa${path}`).set('Origin', example.baseUrl).send(body);

const totpFailures = async () => (await example.mfa.status(ALICE)).limiter.families.totp?.failures ?? 0;

it('a code whose answer timed out but was spent later stays spent: its retry is refused uncharged, another session is charged, the next code signs in', async () => {
  const secret = await signInEnrolling(example, agentOf(example), 'alice');
  example.clock.advance(30_000);
  const step = Math.floor(example.clock.now() / 30_000);
  const user = agentOf(example);
  expect((await login(example, user, 'alice')).body.status).toBe('challenge');
  const code = totpAt(secret, example.clock);

  // The decision leaves the app, the answer never comes in time: 503.
  proxy.holdFrom(attemptScript.sha);
  const lost = await post(user, '/sign-in/totp', { code });
  expect(lost.status).toBe(503);
  expect(lost.body.error.code).toBe('STORE_UNAVAILABLE');
  // Then it arrives and runs: the step is spent.
  await proxy.held();
  proxy.release();
  await waitFor('the held decision to run', async () => {
    return (await direct.hget(`${mfaPrefix}{u:${ALICE.id}}:record`, 'totpStep')) === String(step);
  });

  // The same code again, from the same pending sign-in: refused (it is spent), and not charged.
  const retried = await post(user, '/sign-in/totp', { code });
  expect(retried.status).toBe(401);
  expect(retried.body.error).toMatchObject({
    code: 'INVALID_CODE',
    message: expect.stringMatching(/already used/),
  });
  expect((await user.get('/api/mfa/status')).status).not.toBe(200);
  expect(await totpFailures()).toBe(0);

  // Someone else with the password who saw the code: refused and charged.
  const other = agentOf(example);
  expect((await login(example, other, 'alice')).body.status).toBe('challenge');
  const replay = await post(other, '/sign-in/totp', { code });
  expect(replay.body.error.code).toBe('INVALID_CODE');
  expect(replay.body.error.message).not.toMatch(/already used/);
  expect(await totpFailures()).toBe(1);

  // The next code signs the user in.
  example.clock.advance(30_000);
  const next = await post(user, '/sign-in/totp', { code: totpAt(secret, example.clock) });
  expect(next.body).toMatchObject({ status: 'signed-in' });
  expect((await user.get('/api/mfa/status')).status).toBe(200);
});
