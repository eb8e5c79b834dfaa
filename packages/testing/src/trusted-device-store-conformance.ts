import { randomBytes, randomUUID } from 'node:crypto';
import type { TrustedDevice, TrustedDeviceStore } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import {
  baseTime,
  type ConformanceOptions,
  DAY_MS,
  DEFAULT_CONCURRENCY,
  type MakeStore,
} from './conformance-fixtures.js';

function device(userId: string, now: number, overrides: Partial<TrustedDevice> = {}): TrustedDevice {
  return {
    id: randomBytes(16).toString('base64url'),
    userId,
    secretHash: randomBytes(32).toString('base64url'),
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + 30 * DAY_MS,
    epoch: 0,
    factor: 'totp',
    label: 'Chrome on Linux',
    ...overrides,
  };
}

/**
 * Registers vitest tests proving that a {@link TrustedDeviceStore} keeps each
 * user's trusted devices apart, never revives a revoked device (`touch`
 * racing `revoke`), and prunes on `add` (expired, other epoch, least recently
 * used above the cap) in one atomic step. `makeStore` must return an
 * isolated store per call.
 *
 * @example
 * runTrustedDeviceStoreConformance('memory', () => createMemoryBackend().trustedDevices);
 */
export function runTrustedDeviceStoreConformance(
  name: string,
  makeStore: MakeStore<TrustedDeviceStore>,
  options: ConformanceOptions = {},
): void {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;

  describe(`TrustedDeviceStore conformance: ${name}`, () => {
    it('round-trips a device and knows nothing it was not given', async () => {
      const store = await makeStore();
      const now = baseTime();
      const user = `u-${randomUUID()}`;
      const added = device(user, now);
      expect(await store.get(user, added.id)).toBeNull();
      await store.add(added, { now, maxPerUser: 10 });
      expect(await store.get(user, added.id)).toEqual(added);
      expect(await store.list(user)).toEqual([added]);
      expect(await store.get(user, device(user, now).id)).toBeNull();
    });

    it("keeps users apart: another user's device id finds nothing", async () => {
      const store = await makeStore();
      const now = baseTime();
      const alice = `alice-${randomUUID()}`;
      const bob = `bob-${randomUUID()}`;
      const hers = device(alice, now);
      await store.add(hers, { now, maxPerUser: 10 });
      expect(await store.get(bob, hers.id)).toBeNull();
      expect(await store.list(bob)).toEqual([]);
      expect(await store.touch(bob, hers.id, now + 1)).toBe(false);
      expect(await store.revoke(bob, hers.id)).toBe(false);
      expect(await store.get(alice, hers.id)).toEqual(hers);
    });

    it('revokes once; touch then reports the device gone and does not recreate it', async () => {
      const store = await makeStore();
      const now = baseTime();
      const user = `u-${randomUUID()}`;
      const added = device(user, now);
      await store.add(added, { now, maxPerUser: 10 });
      expect(await store.touch(user, added.id, now + 5)).toBe(true);
      expect((await store.get(user, added.id))?.lastUsedAt).toBe(now + 5);
      expect(await store.revoke(user, added.id)).toBe(true);
      expect(await store.revoke(user, added.id)).toBe(false);
      expect(await store.touch(user, added.id, now + 6)).toBe(false);
      expect(await store.get(user, added.id)).toBeNull();
      expect(await store.list(user)).toEqual([]);
    });

    it('add drops devices expired at now and devices of another epoch', async () => {
      const store = await makeStore();
      const now = baseTime();
      const user = `u-${randomUUID()}`;
      const expired = device(user, now - 2 * DAY_MS, { expiresAt: now - 1 });
      const oldEpoch = device(user, now, { epoch: 1 });
      const live = device(user, now, { epoch: 2 });
      await store.add(expired, { now: now - 2 * DAY_MS, maxPerUser: 10 });
      await store.add(oldEpoch, { now, maxPerUser: 10 });
      await store.add(live, { now, maxPerUser: 10 });
      const next = device(user, now + 1, { epoch: 2 });
      await store.add(next, { now: now + 1, maxPerUser: 10 });
      const ids = (await store.list(user)).map((d) => d.id).sort();
      expect(ids).toEqual([live.id, next.id].sort());
    });

    it('add above maxPerUser drops the least recently used', async () => {
      const store = await makeStore();
      const now = baseTime();
      const user = `u-${randomUUID()}`;
      const a = device(user, now, { lastUsedAt: now + 30 });
      const b = device(user, now, { lastUsedAt: now + 10 });
      const c = device(user, now, { lastUsedAt: now + 20 });
      for (const d of [a, b, c]) await store.add(d, { now, maxPerUser: 3 });
      const d = device(user, now + 40);
      await store.add(d, { now: now + 40, maxPerUser: 3 });
      const ids = (await store.list(user)).map((x) => x.id).sort();
      expect(ids).toEqual([a.id, c.id, d.id].sort());
    });

    it(`a revocation racing ${concurrency} touches is never undone`, async () => {
      const store = await makeStore();
      const now = baseTime();
      const user = `u-${randomUUID()}`;
      const added = device(user, now);
      await store.add(added, { now, maxPerUser: 10 });
      const touches = Array.from({ length: concurrency }, (_, i) => store.touch(user, added.id, now + i + 1));
      const revoked = store.revoke(user, added.id);
      await Promise.all([...touches, revoked]);
      expect(await revoked).toBe(true);
      expect(await store.get(user, added.id)).toBeNull();
      expect(await store.list(user)).toEqual([]);
    });

    it(`${concurrency} parallel adds never leave more than maxPerUser devices`, async () => {
      const store = await makeStore();
      const now = baseTime();
      const user = `u-${randomUUID()}`;
      await Promise.all(
        Array.from({ length: concurrency }, (_, i) =>
          store.add(device(user, now, { lastUsedAt: now + i }), { now, maxPerUser: 5 }),
        ),
      );
      expect((await store.list(user)).length).toBe(5);
    });

    it("keeps the stored device apart from the caller's objects", async () => {
      const store = await makeStore();
      const now = baseTime();
      const user = `u-${randomUUID()}`;
      const added = device(user, now);
      const copy = { ...added };
      await store.add(copy, { now, maxPerUser: 10 });
      copy.expiresAt = 0;
      const read = await store.get(user, added.id);
      if (read !== null) read.epoch = 99;
      expect(await store.get(user, added.id)).toEqual(added);
    });
  });
}
