import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MfaPolicy } from '../types.js';
import { createRedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { createRedisPolicyStore } from './redis-policy-store.js';

const base: MfaPolicy = {
  requiredRoles: [],
  requiredOrgs: [],
  rollout: { mode: 'all' },
  grace: null,
  allowSelfUnlock: false,
};

/**
 * One policy key behind a caller that answers like Redis (the compare-and-set
 * script compares the SHA1 of the stored text); `hold()` makes the next
 * deployment-marker check wait, so a read can be caught in flight.
 */
function fakeRedis() {
  let text: string | null = null;
  let held: Promise<void> | null = null;
  let release = () => {};
  const caller = {
    command: async (_name: string, run: (client: unknown) => Promise<unknown>) =>
      run({ get: async () => text }),
    spend: async (_script: unknown, _keys: readonly string[], args: readonly unknown[]) => {
      const version = text === null ? 'none' : createHash('sha1').update(text).digest('hex');
      if (version !== args[0]) return 0;
      text = String(args[1]);
      return 1;
    },
    write: async (_name: string, _command: string, args: readonly unknown[]) => {
      text = String(args[1]);
      return 'OK';
    },
  } as unknown as RedisCaller;
  const marker = {
    check: () => {
      const wait = held ?? Promise.resolve();
      held = null;
      return wait;
    },
  };
  return {
    caller,
    marker,
    hold() {
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => release();
    },
  };
}

describe('Redis policy store: the in-process cache', () => {
  it('a read under way while this process writes never puts the replaced policy back into the cache', async () => {
    const redis = fakeRedis();
    let now = 1_000;
    const store = createRedisPolicyStore({
      caller: redis.caller,
      keys: createRedisKeys('t:'),
      marker: redis.marker,
      clock: { now: () => now },
      cacheMs: 60_000,
    });
    await store.set(base);
    const { version } = await store.getVersioned();
    now += 60_000; // the cached copy expired: the next read goes to Redis
    // A sign-in's read: it has the old text and waits (here: for the marker check beside it).
    const release = redis.hold();
    const inFlight = store.get();
    // An admin requires MFA for admins through this process meanwhile.
    const stricter = { ...base, requiredRoles: ['admin'] };
    expect(await store.compareAndSet(version, stricter)).toBe(true);
    release();
    expect(await inFlight).toEqual(base); // it was read before the write: fine to answer
    // But the cache holds what this process wrote, not what the slow read saw.
    expect(await store.get()).toEqual(stricter);
  });
});
