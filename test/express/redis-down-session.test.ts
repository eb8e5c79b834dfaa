// Attack/fault: Redis goes down under a running app. A request that carries a
// session cookie used to sit in ioredis's offline queue for ~11 s and end in
// 500 INTERNAL, with "[ioredis] Unhandled error event" printed on every
// reconnect attempt. With the example's (and the README's) wiring it gets
// 503 STORE_UNAVAILABLE within 2 s, and the app recovers by itself once
// Redis is back, without a restart.
import { once } from 'node:events';
import { acknowledgeStoreReset } from '@mfa-kit/core/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  logRedisErrors,
  REQUEST_PATH_REDIS_OPTIONS,
  redisStores,
} from '../../examples/example-app/src/redis-wiring.js';
import { type RunningExample, startExample } from '../browser/example-server.js';
import { type PrivateRedisServer, startRedisServer, uniquePrefix } from '../harness/index.js';
import { agentOf, login } from './example-on-redis.js';

/** The spec'd bound for an answer while Redis is down (a timeout, not a benchmark). */
const BOUND_MS = 2_000;

let server: PrivateRedisServer;
let client: Redis;
let example: RunningExample;
const prefix = uniquePrefix('redis-down');
const logged: string[] = [];
const consoleError = vi.spyOn(console, 'error');

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, REQUEST_PATH_REDIS_OPTIONS);
  logRedisErrors(client, (line) => logged.push(line));
  await once(client, 'ready');
  example = await startExample(redisStores(client, prefix));
});
afterAll(async () => {
  consoleError.mockRestore();
  await example?.close();
  client?.disconnect();
  await server?.stop();
});

it('Redis stopped: a session-bearing request gets 503 STORE_UNAVAILABLE within 2 s; after a restart the app recovers', async () => {
  const agent = agentOf(example);
  expect((await login(example, agent, 'bob')).body.status).toBe('signed-in');
  expect((await agent.get('/api/mfa/status')).status).toBe(200);

  const refused = once(client, 'error'); // ioredis's first failed reconnect attempt
  await server.stop();
  for (const path of ['/api/mfa/status', '/']) {
    const down = await agent.get(path).timeout(BOUND_MS);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('STORE_UNAVAILABLE');
  }
  const signIn = await login(example, agentOf(example), 'bob').timeout(BOUND_MS);
  expect(signIn.status).toBe(503);
  expect(signIn.body.error.code).toBe('STORE_UNAVAILABLE');

  await refused;
  await server.start();
  if (client.status !== 'ready') await once(client, 'ready');
  // The restarted server is empty (no persistence): that is a lost store, which fails closed with
  // STORE_RESET until an operator acknowledges it (test/express/store-wiped.test.ts); then sign-in works again.
  const fresh = agentOf(example);
  expect((await login(example, fresh, 'bob')).body.error?.code).toBe('STORE_RESET');
  await acknowledgeStoreReset(client, { prefix: `${prefix}mfa:` });
  expect((await login(example, fresh, 'bob')).body.status).toBe('signed-in');
  expect((await fresh.get('/api/mfa/status')).status).toBe(200);

  // The connection errors went to the app's listener, once per outage; ioredis never printed its own warning.
  expect(logged.filter((line) => line.includes('STORE_UNAVAILABLE'))).toHaveLength(1);
  expect(logged).toContain('[redis] connection restored');
  const printed = consoleError.mock.calls.map((args) => args.map(String).join(' '));
  expect(printed.filter((line) => line.includes('Unhandled error event'))).toEqual([]);
});
