import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../../../../test/harness/index.js';
import { createRedisBackend } from '../redis/index.js';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt, wrongTotp } from '../../test-support/mfa-harness.js';

// The service layer on real Redis: parallel requests race inside the Lua
// scripts, not in a mock.
describe.each([
  ['single node', createTestRedis],
  ['cluster', createTestCluster],
] as const)('createMfa on Redis (%s)', (_name, connect) => {
  let client: Redis | Cluster;

  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await client.quit();
  });

  // `caller`: the test clock, for tests that wait out cooldowns; Redis TIME is tested in redis-clock.test.ts.
  function harness(clockSource: 'redis' | 'caller' = 'redis') {
    const backend = createRedisBackend({ client, prefix: uniquePrefix('create-mfa'), clockSource });
    return createHarness({ backend }, Math.floor(Date.now() / 30_000) * 30_000 + 10_000);
  }

  it('one recovery code submitted 30 times in parallel → exactly one success', async () => {
    const h = harness();
    const user: MfaUser = { id: 'race-r' };
    const { recoveryCodes } = await enrolTotp(h, user);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => h.mfa.verify(user, 'recovery', recoveryCodes[0], {})),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await h.mfa.status(user)).recoveryCodesRemaining).toBe(9);
  });

  it('one valid TOTP code submitted 30 times in parallel → exactly one success', async () => {
    const h = harness();
    const user: MfaUser = { id: 'race-t' };
    const { secret } = await enrolTotp(h, user);
    const code = totpAt(secret, h.clock.now());
    const results = await Promise.all(Array.from({ length: 30 }, () => h.mfa.verify(user, 'totp', code, {})));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(h.events.filter((e) => e.type === 'VERIFICATION_SUCCEEDED')).toHaveLength(1);
  });

  it('40 parallel wrong codes → exactly 5 evaluated failures and one cooldown event', async () => {
    const h = harness();
    const user: MfaUser = { id: 'race-b' };
    const { secret } = await enrolTotp(h, user);
    const wrong = wrongTotp(secret, h.clock.now());
    const results = await Promise.all(
      Array.from({ length: 40 }, () => h.mfa.verify(user, 'totp', wrong, {})),
    );
    expect(results.filter((r) => !r.ok && r.code === 'INVALID_CODE')).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.code === 'COOLDOWN')).toHaveLength(36);
    expect(h.events.filter((e) => e.type === 'VERIFICATION_FAILED')).toHaveLength(5);
    expect(h.events.filter((e) => e.type === 'COOLDOWN_ACTIVATED')).toHaveLength(1);
  });

  it('the lock at 10 failures is recorded once and survives in Redis', async () => {
    const h = harness('caller');
    const user: MfaUser = { id: 'lock' };
    const { secret } = await enrolTotp(h, user);
    for (let round = 0; round < 2; round++) {
      await Promise.all(
        Array.from({ length: 5 }, () => h.mfa.verify(user, 'totp', wrongTotp(secret, h.clock.now()), {})),
      );
      h.clock.advance(300_001);
    }
    expect((await h.mfa.status(user)).limiter.locked).toBe(true);
    const stored = await h.mfa.events.query({ types: ['ACCOUNT_LOCK'], userId: user.id });
    expect(stored.events).toHaveLength(1);
    expect(await h.mfa.startSignIn(user, {})).toEqual({
      next: 'refused',
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: null,
    });
  });
});
