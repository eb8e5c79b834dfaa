import type { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../../../../test/harness/index.js';
import { isMfaError } from '../errors.js';
import {
  runCounterStoreConformance,
  runEventLogConformance,
  runMfaStoreConformance,
  runPolicyStoreConformance,
} from '../testing/index.js';
import { createRedisBackend } from './create-redis-backend.js';

const single = createTestRedis();
const cluster = createTestCluster();
afterAll(async () => {
  await Promise.all([single.quit(), cluster.quit()]);
});

for (const [name, client] of [
  ['redis single node', single],
  ['redis cluster', cluster],
] as const) {
  const backend = () => createRedisBackend({ client, prefix: uniquePrefix('conformance') });
  runMfaStoreConformance(name, () => backend().store);
  runCounterStoreConformance(name, () => backend().counters);
  runPolicyStoreConformance(name, () => backend().policies);
  // XADD MAXLEN ~ trims whole stream nodes, so the exact-cap case of the suite doesn't apply (see below).
  runEventLogConformance(name, () => backend().events);
}

describe.each([
  ['single node', single],
  ['cluster', cluster],
] as const)('createRedisBackend on %s', (_name, client: Redis | Cluster) => {
  it('caps the event stream approximately (MAXLEN ~) and keeps the newest events', async () => {
    const prefix = uniquePrefix('capped');
    const { events } = createRedisBackend({ client, prefix, eventStreamMaxLength: 10 });
    const t = Date.now();
    for (let i = 0; i < 450; i++) {
      await events.append({
        type: 'SESSION_EXPIRED',
        userId: `u${i}`,
        details: { stage: 'challenge' },
        time: t + i,
      });
    }
    const length = await client.xlen(`${prefix}events`);
    // Redis trims whole nodes of up to 100 entries (stream-node-max-entries): never more than 10 + 100 kept.
    expect(length).toBeLessThanOrEqual(110);
    expect(length).toBeGreaterThanOrEqual(10);
    const page = await events.query({ limit: 3 });
    expect(page.events.map((e) => e.userId)).toEqual(['u449', 'u448', 'u447']);
  });

  it('rejects bad options with a configuration error', () => {
    for (const bad of [{ prefix: 'a{b' }, { commandTimeoutMs: 0 }, { eventStreamMaxLength: 1.5 }]) {
      let error: unknown;
      try {
        createRedisBackend({ client, ...bad });
      } catch (caught) {
        error = caught;
      }
      expect(isMfaError(error, 'CONFIGURATION')).toBe(true);
    }
  });

  it('shares the policy between backends and serves a short cache', async () => {
    const prefix = uniquePrefix('policy');
    let now = 1_000;
    const clock = { now: () => now };
    const a = createRedisBackend({ client, prefix, policyCacheMs: 2_000, clock }).policies;
    const b = createRedisBackend({ client, prefix }).policies;
    expect(await a.get()).toBeNull();
    const policy = {
      requiredRoles: ['admin'],
      requiredOrgs: [],
      rollout: { mode: 'all' as const },
      grace: null,
      allowSelfUnlock: false,
    };
    await b.set(policy);
    expect(await a.get()).toBeNull(); // cached for at most policyCacheMs
    now += 2_000;
    expect(await a.get()).toEqual(policy);
  });
});
