import { randomUUID } from 'node:crypto';
import { type AttemptDecision, type AttemptInput, isMfaError } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import { LIMITS, LOCK, TOTP_FACTOR } from './fixtures.js';

const TIMEOUT_MS = 500;

let server: PrivateRedisServer;
let client: Redis;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startRedisServer();
  // Reconnect quickly so the test doesn't wait on ioredis's back-off.
  client = new Redis(server.url, { retryStrategy: () => 50 });
  client.on('error', () => {}); // connection errors surface through the store as STORE_UNAVAILABLE
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  client.disconnect();
  await server.stop();
});

/** Settles every promise, failing the test if they don't all settle within `boundMs` (a hang). */
async function settleWithin<T>(promises: Promise<T>[], boundMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), boundMs);
  });
  const result = await Promise.race([Promise.allSettled(promises), hang]);
  clearTimeout(timer);
  if (result === 'hang') throw new Error(`calls still pending after ${boundMs} ms`);
  return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function waitForReady(redis: Redis): Promise<void> {
  return redis.status === 'ready'
    ? Promise.resolve()
    : new Promise((resolve) => redis.once('ready', resolve));
}

it('fails closed while Redis is down and recovers, reloading scripts, when it is back', async () => {
  const { store } = createRedisBackend({ client, prefix: 'fault:', commandTimeoutMs: TIMEOUT_MS });
  const user = randomUUID();
  const now = Date.now();
  const totp = (step: number | null): AttemptInput => ({
    family: 'totp',
    check: { type: 'totp', step },
    limits: { ...LIMITS, maxFailures: 10_000 },
    lock: { ...LOCK, maxConsecutiveFailures: 10_000 },
    now,
  });

  // 1. Up: decisions work.
  await store.setTotp(user, TOTP_FACTOR);
  expect(await store.attempt(user, totp(1))).toEqual({ ok: true, evaluated: true });
  expect(await store.attempt(user, totp(1))).toMatchObject({ reason: 'replay' });

  // 2. Stop the server while wrong-code decisions keep flowing (batches of 20 in flight).
  const results: PromiseSettledResult<AttemptDecision>[] = [];
  let running = true;
  const load = (async () => {
    while (running) {
      const batch = Array.from({ length: 20 }, () => store.attempt(user, totp(null)));
      results.push(...(await settleWithin(batch, TIMEOUT_MS * 6)));
      await sleep(1); // a failing-fast store must not starve the timers
    }
  })();
  await sleep(100);
  await server.stop();
  await sleep(TIMEOUT_MS);
  running = false;
  await load;
  const rejected = results.filter((result) => result.status === 'rejected');
  expect(results.length - rejected.length).toBeGreaterThan(0); // decided before the stop
  expect(rejected.length).toBeGreaterThan(0); // cut off by the stop
  for (const result of results) {
    if (result.status === 'fulfilled') expect(result.value.ok).toBe(false);
    else expect(isMfaError(result.reason, 'STORE_UNAVAILABLE')).toBe(true);
  }

  // 3. Down: every kind of call rejects with STORE_UNAVAILABLE, bounded, and nothing is accepted.
  const down = await settleWithin<unknown>(
    [
      store.attempt(user, totp(2)),
      store.attempt(user, totp(3)),
      store.getRecord(user),
      store.getLimiterStatus(user, now),
      store.replaceRecoveryCodes(user, ['x']),
    ],
    TIMEOUT_MS * 6,
  );
  for (const result of down) {
    expect(result.status).toBe('rejected');
    if (result.status === 'rejected') {
      expect(isMfaError(result.reason, 'STORE_UNAVAILABLE')).toBe(true);
      expect((result.reason as Error).cause).toBeDefined();
    }
  }

  // 4. Back on the same port (empty: no persistence): the same backend works, without recreating anything.
  await server.start();
  await waitForReady(client);
  const probe = new Redis(server.url);
  // The restart lost the data (no persistence), the TOTP factor with it: enrol again.
  await store.setTotp(user, TOTP_FACTOR);
  // The restarted server starts with an empty script cache, but ioredis may already have resent
  // commands cut off by the stop (they reloaded the script); flush so this check is deterministic.
  await probe.script('FLUSH');
  await probe.config('RESETSTAT');
  expect(await store.attempt(user, totp(5))).toEqual({ ok: true, evaluated: true });
  expect(await store.attempt(user, totp(5))).toMatchObject({ reason: 'replay' });
  const stats = await probe.info('commandstats');
  probe.disconnect();
  // The first EVALSHA after the restart met NOSCRIPT and the script was reloaded with one EVAL.
  expect(stats).toMatch(/cmdstat_eval:calls=1,/);
  expect(stats).toMatch(/cmdstat_evalsha:calls=2,.*failed_calls=1/);

  expect(unhandled).toEqual([]);
});

it('bounds every call by commandTimeoutMs when Redis accepts the connection but never answers', async () => {
  const { createServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket)); // reads nothing, answers nothing
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const mute = new Redis({ port, host: '127.0.0.1', retryStrategy: () => 50 });
  mute.on('error', () => {});
  try {
    const { store } = createRedisBackend({ client: mute, prefix: 'mute:', commandTimeoutMs: 200 });
    const settled = await settleWithin<unknown>(
      [
        store.attempt('u', {
          family: 'totp',
          check: { type: 'totp', step: 7 },
          limits: LIMITS,
          lock: LOCK,
          now: Date.now(),
        }),
        store.getRecord('u'),
      ],
      2_000,
    );
    for (const result of settled) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') expect(isMfaError(result.reason, 'STORE_UNAVAILABLE')).toBe(true);
    }
    expect(unhandled).toEqual([]);
  } finally {
    mute.disconnect();
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});
