/**
 * Attack on "TOTP decisions bound to their factor (enrolledAt)": the binding
 * names a factor by its `enrolledAt`, and `importTotpSecret` once let the
 * caller choose it. A verification that read factor A, then an admin reset and
 * an import of secret B with A's `enrolledAt` (a migration re-run with the
 * legacy table's creation date), then the decision: the step matched against
 * A's secret was counted for B. Now an import's `enrolledAt` is its own time,
 * so the old secret's code, decided after the reset and re-import, is refused.
 *
 * Real Redis, real interleaving: a relay holds the attempt script of the
 * verification until the reset and the import have run on another client.
 */
import { once } from 'node:events';
import { type Actor, createMfa, generateTOTP, decodeBase32 } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { Redis } from 'ioredis';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attemptScript } from '../../packages/core/src/redis/scripts/attempt.lua.js';
import { createTestRedis, redisUrl, uniquePrefix } from '../harness/index.js';
import { type CommandHoldProxy, startCommandHoldProxy } from './command-hold-proxy.js';

const START = Date.UTC(2026, 11, 1, 12, 0, 10);
const operator: Actor = { kind: 'cli', id: 'migration-script' };
const prefix = uniquePrefix('binding-import');

let proxy: CommandHoldProxy;
let viaProxy: Redis;
let direct: Redis;
beforeAll(async () => {
  proxy = await startCommandHoldProxy(Number(new URL(redisUrl()).port));
  viaProxy = new Redis({ host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 0 });
  await once(viaProxy, 'ready');
  direct = createTestRedis();
});
afterAll(async () => {
  viaProxy?.disconnect();
  direct?.disconnect();
  await proxy?.close();
});

function kit(client: Redis, clock: { now: () => number }) {
  return createMfa({
    backend: createRedisBackend({ client, prefix, clockSource: 'caller' }),
    encryption: { keys: { k1: Buffer.alloc(32, 3) }, currentKeyId: 'k1' },
    hashKey: 'binding-import-tests-hash-key-of-at-least-32-bytes',
    issuer: 'Migrated',
    clock,
  });
}

it('an old secret code whose decision lands after a reset and an import with the same enrolledAt (a caller can no longer choose enrolledAt) is not counted for the new factor', async () => {
  let time = START;
  const clock = { now: () => time };
  const app = kit(viaProxy, clock);
  const admin = kit(direct, clock);
  const user = { id: `u-${Math.random()}` };
  const oldSecret = generateSecret();
  await admin.maintenance.importTotpSecret(operator, user, { secret: oldSecret });
  await app.verify(user, 'totp', '000000', {}); // loads the attempt script on this connection
  time += 60_000;
  // The next step's code (inside the verification window, not burnt by the import of the current step).
  const oldCode = generateTOTP(decodeBase32(oldSecret), {
    timeInMs: time + 30_000,
    periodInSeconds: 30,
    digits: 6,
    algorithm: 'SHA1',
  });

  proxy.holdFrom(attemptScript.sha);
  const decision = app.verify(user, 'totp', oldCode, {});
  await proxy.held();
  // The old secret leaked: the admin resets and re-imports a new one (its enrolledAt is the import's own time).
  await admin.admin.reset(operator, user);
  await admin.maintenance.importTotpSecret(operator, user, { secret: generateSecret() });
  proxy.release();
  expect(await decision).toMatchObject({ ok: false });
});
