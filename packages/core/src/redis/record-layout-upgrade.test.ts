import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../../../../test/harness/index.js';
import { createHarness, enrolTotp, TEST_HASH_KEY, totpAt } from '../../test-support/mfa-harness.js';
import { createKeyedHasher } from '../crypto/index.js';
import { generateRecoveryCodes, normalizeRecoveryCode } from '../recovery-codes/index.js';
import { createRedisBackend } from './index.js';
import { createRedisKeys } from './keys.js';

// Issue 13 (memory per user) changed the record's layout: recovery codes moved
// from a SET of full keyed hashes beside the record into 16-byte tokens in the
// record's `rc` field, and the TOTP factor's JSON leaves out RFC 6238's
// defaults. Data written by the old layout must keep working after an
// upgrade: codes counted, spent exactly once (the first spend migrates the
// whole set, atomically, also under parallel use), replaced or reset like new
// data; a factor stored in full read as before.
describe.each([
  ['single node', createTestRedis],
  ['cluster', createTestCluster],
] as const)('recovery codes: new layout and old data (%s)', (_name, connect) => {
  let client: Redis | Cluster;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await client.quit();
  });

  function harness() {
    const prefix = uniquePrefix('rc-upgrade');
    const backend = createRedisBackend({ client, prefix });
    return { h: createHarness({ backend }), keys: createRedisKeys(prefix) };
  }

  /** Rewrites a user's codes the way the layout before `rc` stored them: a SET of full keyed hashes. */
  async function downgrade(keys: ReturnType<typeof createRedisKeys>, userId: string, codes: string[]) {
    const hasher = createKeyedHasher(TEST_HASH_KEY);
    const k = keys.user(userId);
    await client.hdel(k.record, 'rc');
    await client.sadd(
      k.recovery,
      ...codes.map((code) => hasher.hash(`recovery:${userId}`, normalizeRecoveryCode(code) ?? '')),
    );
  }

  it('new enrolments keep the codes in the record (160 bytes for 10) and create no second key', async () => {
    const { h, keys } = harness();
    const user = { id: 'fresh' };
    const { recoveryCodes } = await enrolTotp(h, user);
    const k = keys.user(user.id);
    expect(await client.exists(k.recovery)).toBe(0);
    expect(await client.hstrlen(k.record, 'rc')).toBe(recoveryCodes.length * 16);
    expect((await h.mfa.verify(user, 'recovery', recoveryCodes[3], {})).ok).toBe(true);
    expect(await client.hstrlen(k.record, 'rc')).toBe((recoveryCodes.length - 1) * 16);
    expect(await h.mfa.verify(user, 'recovery', recoveryCodes[3], {})).toMatchObject({ ok: false });
  });

  it('old SET data: counted, a code spent once, the rest moved into the record, the SET gone', async () => {
    const { h, keys } = harness();
    const user = { id: 'upgraded' };
    const { recoveryCodes } = await enrolTotp(h, user);
    await downgrade(keys, user.id, recoveryCodes);
    const k = keys.user(user.id);
    expect((await h.mfa.status(user)).recoveryCodesRemaining).toBe(10);

    expect(await h.mfa.verify(user, 'recovery', recoveryCodes[0], {})).toMatchObject({
      ok: true,
      recoveryCodesRemaining: 9,
    });
    expect(await client.exists(k.recovery)).toBe(0);
    expect(await client.hstrlen(k.record, 'rc')).toBe(9 * 16);
    expect(await h.mfa.verify(user, 'recovery', recoveryCodes[0], {})).toMatchObject({ ok: false });
    expect((await h.mfa.verify(user, 'recovery', recoveryCodes[9], {})).ok).toBe(true);
    expect((await h.mfa.status(user)).recoveryCodesRemaining).toBe(8);
  });

  it('old SET data under parallel use: each code accepted exactly once while the set migrates', async () => {
    const { h, keys } = harness();
    const user = { id: 'upgraded-race' };
    const { recoveryCodes } = await enrolTotp(h, user);
    await downgrade(keys, user.id, recoveryCodes);
    // Both codes 15 times, interleaved (the repeats count as failures toward the recovery cooldown, so
    // both first uses go out first).
    const attempts = Array.from({ length: 30 }, (_, i) =>
      h.mfa.verify(user, 'recovery', recoveryCodes[1 + (i % 2)], {}),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect((await h.mfa.status(user)).recoveryCodesRemaining).toBe(8);
  });

  it('old SET data is replaced by new codes and removed by a reset', async () => {
    const { h, keys } = harness();
    const user = { id: 'upgraded-replaced' };
    const { recoveryCodes } = await enrolTotp(h, user);
    await downgrade(keys, user.id, recoveryCodes);
    const k = keys.user(user.id);
    const fresh = await h.mfa.recovery.regenerate(user, {});
    expect(await client.exists(k.recovery)).toBe(0);
    expect(await h.mfa.verify(user, 'recovery', recoveryCodes[0], {})).toMatchObject({ ok: false });
    expect((await h.mfa.verify(user, 'recovery', fresh[0], {})).ok).toBe(true);

    await downgrade(keys, user.id, recoveryCodes);
    await h.mfa.admin.reset({ kind: 'admin', id: 'root' }, user, {});
    expect(await client.exists(k.recovery)).toBe(0);
    expect(await client.hexists(k.record, 'rc')).toBe(0);
    expect((await h.mfa.status(user)).recoveryCodesRemaining).toBe(0);
  });

  it('rolling deploy: a previous-version process regenerates the codes (writes the SET, leaves `rc`); the replaced codes stay dead', async () => {
    const { h, keys } = harness();
    const user = { id: 'mixed-versions' };
    const { recoveryCodes: replaced } = await enrolTotp(h, user);
    const k = keys.user(user.id);
    // What the previous version's regeneration did: DEL the SET, SADD the new hashes. It knows nothing of `rc`.
    const hasher = createKeyedHasher(TEST_HASH_KEY);
    const fresh = generateRecoveryCodes({ bytes: (n) => randomBytes(n) }, 10);
    await client.del(k.recovery);
    await client.sadd(
      k.recovery,
      ...fresh.map((code) => hasher.hash(`recovery:${user.id}`, normalizeRecoveryCode(code) ?? '')),
    );
    expect(await client.hstrlen(k.record, 'rc')).toBe(10 * 16);

    expect((await h.mfa.status(user)).recoveryCodesRemaining).toBe(fresh.length);
    expect(await h.mfa.verify(user, 'recovery', replaced[0], {})).toMatchObject({ ok: false });
    expect(await h.mfa.verify(user, 'recovery', fresh[0], {})).toMatchObject({
      ok: true,
      recoveryCodesRemaining: fresh.length - 1,
    });
    // The spend moved the newer set into `rc`; every replaced code is still refused.
    expect(await client.exists(k.recovery)).toBe(0);
    for (const code of replaced.slice(1, 3))
      expect(await h.mfa.verify(user, 'recovery', code, {})).toMatchObject({ ok: false });
    expect((await h.mfa.verify(user, 'recovery', fresh[1], {})).ok).toBe(true);
  });

  it('a TOTP factor stored in full by an earlier version reads the same and signs in; new ones omit the defaults', async () => {
    const { h, keys } = harness();
    const user = { id: 'full-factor' };
    const { secret } = await enrolTotp(h, user);
    const k = keys.user(user.id);
    const compact = JSON.parse((await client.hget(k.record, 'totp')) ?? '{}');
    expect(Object.keys(compact).sort()).toEqual(['enrolledAt', 'sealedSecret']);
    const before = await h.backend.store.getRecord(user.id);
    expect(before?.totp).toMatchObject({ algorithm: 'SHA1', digits: 6, periodInSeconds: 30 });

    await client.hset(
      k.record,
      'totp',
      JSON.stringify({
        sealedSecret: compact.sealedSecret,
        algorithm: 'SHA1',
        digits: 6,
        periodInSeconds: 30,
        enrolledAt: compact.enrolledAt,
      }),
    );
    expect((await h.backend.store.getRecord(user.id))?.totp).toEqual(before?.totp);
    h.clock.advance(30_000);
    expect((await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).ok).toBe(true);
  });
});
