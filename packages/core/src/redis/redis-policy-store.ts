import { createHash } from 'node:crypto';
import { MfaError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { PolicyStore } from '../ports/policy-store.js';
import type { MfaPolicy } from '../types.js';
import type { DeploymentMarker } from './deployment-marker.js';
import type { RedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { policyCompareAndSetScript } from './scripts/policy-compare-and-set.lua.js';

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

/** The stored text as a policy; a malformed one fails closed. */
function parseStored(text: string | null): MfaPolicy | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as MfaPolicy;
  } catch (error) {
    throw new MfaError('STORE_UNAVAILABLE', { message: 'The stored MFA policy is malformed.', cause: error });
  }
}

/** The version of a stored text, as the compare-and-set script computes it (`redis.sha1hex`). */
function versionOf(text: string | null): string {
  return text === null ? 'none' : createHash('sha1').update(text).digest('hex');
}

/**
 * `PolicyStore` on Redis: the policy is one JSON document in one key (read
 * and replaced whole, so a reader never sees half an update); its version is
 * the SHA1 of that text, compared and replaced in one script. A short
 * in-process cache (`cacheMs`, 1 s by default) bounds how stale another
 * process's change can be (the port allows "a few seconds"); a write here
 * refreshes it at once, and a read that was under way meanwhile doesn't put
 * the older text back (`redis-policy-store.test.ts`). A cached read sends
 * nothing, not even the deployment-marker check: what it returns was read,
 * with the marker checked, at most `cacheMs` ago, and a wiped store shows at
 * the next record read or uncached policy read.
 */
export function createRedisPolicyStore({
  caller,
  keys,
  marker,
  clock,
  cacheMs,
}: RedisPolicyStoreDeps): PolicyStore {
  let cached: { policy: MfaPolicy | null; until: number } | null = null;
  // Writes this process completed: a read that was under way when one completed may hold the text
  // it replaced, so it must not overwrite the cache this write just refreshed.
  let writes = 0;
  const remember = (policy: MfaPolicy | null) => {
    if (cacheMs > 0) cached = { policy: structuredClone(policy), until: clock.now() + cacheMs };
  };
  const wrote = (policy: MfaPolicy) => {
    writes += 1;
    remember(policy);
  };
  const read = async () => {
    const [text] = await Promise.all([
      caller.command('policy get', (client) => client.get(keys.policy)),
      marker.check(),
    ]);
    return { text, policy: parseStored(text) };
  };
  return {
    async get() {
      if (cached !== null && cacheMs > 0 && clock.now() < cached.until) return structuredClone(cached.policy);
      const before = writes;
      const { policy } = await read();
      if (writes === before) remember(policy);
      return structuredClone(policy);
    },
    async getVersioned() {
      const { text, policy } = await read();
      return { policy, version: versionOf(text) };
    },
    async compareAndSet(version, policy) {
      // Durable when configured (a spend: WAIT in the same pipeline): a failover must not bring back a weaker policy.
      const replaced = await caller.spend(
        policyCompareAndSetScript,
        [keys.policy],
        [version, JSON.stringify(policy)],
      );
      if (replaced === 1) wrote(policy);
      return replaced === 1;
    },
    async set(policy) {
      // Durable when configured: a failover must not bring back a weaker policy.
      await caller.write('policy set', 'SET', [keys.policy, JSON.stringify(policy)]);
      wrote(policy);
    },
  };
}
