import { randomUUID } from 'node:crypto';
import type { AttemptInput } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import { LIMITS, LOCK } from './fixtures.js';

let server: PrivateRedisServer;
let client: Redis;
let monitorClient: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url);
  monitorClient = new Redis(server.url);
});
afterAll(async () => {
  client.disconnect();
  monitorClient.disconnect();
  await server.stop();
});

/** `cmdstat_<name>` → calls, from INFO commandstats. */
async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

it('makes exactly one round trip, one EVALSHA, per verification decision', async () => {
  const { store } = createRedisBackend({ client, prefix: 'cmds:' });
  const now = Date.now();
  const users = Array.from({ length: 20 }, () => randomUUID());
  for (const user of users) await store.replaceRecoveryCodes(user, ['r1', 'r2']);
  // Warm-up: the first EVALSHA answers NOSCRIPT on this fresh server and the script is loaded.
  await store.attempt(users[0]!, {
    family: 'totp',
    check: { type: 'totp', step: 1 },
    limits: LIMITS,
    lock: LOCK,
    now,
  });

  const inputs: AttemptInput[] = [
    { family: 'totp', check: { type: 'totp', step: 100 }, limits: LIMITS, lock: LOCK, now },
    { family: 'totp', check: { type: 'totp', step: null }, limits: LIMITS, lock: LOCK, now },
    { family: 'recovery', check: { type: 'recovery', hash: 'r1' }, limits: LIMITS, lock: LOCK, now },
    { family: 'sms', check: { type: 'sms', hash: 'x', purpose: 'sign-in' }, limits: LIMITS, lock: LOCK, now },
    { family: 'password', check: { type: 'outcome', success: false }, limits: LIMITS, lock: LOCK, now },
  ];
  const monitor = await monitorClient.monitor();
  const topLevel: string[] = [];
  let sawMarker: () => void = () => {};
  const marker = new Promise<void>((resolve) => {
    sawMarker = resolve;
  });
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') return;
    if (args[0]?.toLowerCase() === 'echo' && args[1] === 'end-of-decisions') {
      sawMarker();
      return;
    }
    const name = args[0]?.toLowerCase() ?? '';
    if (name !== 'info' && name !== 'echo') topLevel.push(name);
  });
  const before = await commandCalls(monitorClient);
  // Only what runs after MONITOR attached and before the marker counts; the INFO above is not a decision.
  await client.echo('start');
  topLevel.length = 0;

  let decisions = 0;
  for (const user of users) {
    for (const input of inputs) {
      await store.attempt(user, input);
      decisions += 1;
    }
  }
  await client.echo('end-of-decisions');
  await marker;
  monitor.disconnect();
  const after = await commandCalls(client);
  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);

  expect(decisions).toBe(100);
  expect(topLevel).toHaveLength(decisions);
  expect(new Set(topLevel)).toEqual(new Set(['evalsha']));
  expect(delta('evalsha')).toBe(decisions);
  expect(delta('eval')).toBe(0);
});
