import { MfaError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { PolicyStore } from '../ports/policy-store.js';
import type { MfaPolicy } from '../types.js';
import type { DeploymentMarker } from './deployment-marker.js';
import type { RedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';

/** What {@link createRedisPolicyStore} needs. */
export interface RedisPolicyStoreDeps {
  caller: RedisCaller;
  keys: RedisKeys;
  clock: Clock;
  /** Checked beside every policy read: a wiped policy must not let roles skip MFA. */
  marker: DeploymentMarker;
  /** How long a read may be reused in this process; 0 = read Redis every time. */
  cacheMs: number;
}

/**
 * `PolicyStore` on Redis: the policy is one JSON document in one key (read
 * and replaced whole, so a reader never sees half an update). An optional
 * short in-process cache bounds how stale another process's change can be
 * (the port allows "a few seconds"); a `set` here refreshes it at once.
 */
export function createRedisPolicyStore({
  caller,
  keys,
  marker,
  clock,
  cacheMs,
}: RedisPolicyStoreDeps): PolicyStore {
  let cached: { policy: MfaPolicy | null; until: number } | null = null;
  return {
    async get() {
      if (cached !== null && cacheMs > 0 && clock.now() < cached.until) return structuredClone(cached.policy);
      const [text] = await Promise.all([
        caller.command('policy get', (client) => client.get(keys.policy)),
        marker.check(),
      ]);
      let policy: MfaPolicy | null = null;
      if (text !== null) {
        try {
          policy = JSON.parse(text) as MfaPolicy;
        } catch (error) {
          throw new MfaError('STORE_UNAVAILABLE', {
            message: 'The stored MFA policy is malformed.',
            cause: error,
          });
        }
      }
      if (cacheMs > 0) cached = { policy, until: clock.now() + cacheMs };
      return structuredClone(policy);
    },
    async set(policy) {
      // Durable when configured: a failover must not bring back a weaker policy.
      await caller.write('policy set', 'SET', [keys.policy, JSON.stringify(policy)]);
      if (cacheMs > 0) cached = { policy: structuredClone(policy), until: clock.now() + cacheMs };
    },
  };
}
