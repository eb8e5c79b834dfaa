// On Redis Cluster, WAIT has no key: sent on its own, ioredis would route it
// to any node, which would count the replicas of the wrong primary. The
// durable spend sends the script and WAIT in one pipeline, which ioredis
// routes to the node owning the keys' slot. This checks, per node, where the
// WAIT landed (the harness cluster has no replicas, so WAIT also times out
// and the spend fails closed).
import { randomUUID } from 'node:crypto';
import { isMfaError } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import type { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createTestCluster, uniquePrefix } from '../harness/index.js';
import { LIMITS, LOCK } from './fixtures.js';

const cluster = createTestCluster();
afterAll(async () => {
  await cluster.quit();
});

async function waitCalls(node: Redis): Promise<number> {
  const stats = await node.info('commandstats');
  return Number(/^cmdstat_wait:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
}

it('a durable spend on a cluster sends WAIT to the primary that ran the script, and fails closed without replicas', async () => {
  const prefix = uniquePrefix('durable-cluster');
  const { store } = createRedisBackend({
    client: cluster,
    prefix,
    durability: { replicas: 1, timeoutMs: 50 },
  });
  // Warm up the slot map so every node is known.
  await store.getRecord('warm-up');
  const masters = cluster.nodes('master');
  expect(masters.length).toBe(3);
  for (let i = 0; i < 6; i++) {
    const user = randomUUID();
    const before = await Promise.all(masters.map(waitCalls));
    const error = await store
      .attempt(user, {
        family: 'totp',
        check: { type: 'totp', step: null },
        limits: LIMITS,
        lock: LOCK,
        now: Date.now(),
      })
      .catch((e: unknown) => e);
    expect(isMfaError(error, 'STORE_UNAVAILABLE')).toBe(true);
    const after = await Promise.all(masters.map(waitCalls));
    const limitsKey = `${prefix}{u:${user}}:limits`;
    const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', limitsKey));
    const owners = await Promise.all(
      masters.map(async (node) => Math.min(1, Number(await node.call('CLUSTER', 'COUNTKEYSINSLOT', slot)))),
    );
    // WAIT ran only on the node that holds the user's keys (the script ran there): once, or twice when
    // that node had not cached the script yet (NOSCRIPT, then EVAL + WAIT again).
    const waits = after.map((calls, n) => calls - (before[n] ?? 0));
    expect(owners.filter((owns) => owns === 1)).toHaveLength(1);
    expect(waits.map((count) => (count > 0 ? 1 : 0))).toEqual(owners);
  }
});

it('a durable epoch bump on a cluster sends WAIT to the primary that owns the record, and fails closed without replicas', async () => {
  const prefix = uniquePrefix('durable-cluster-write');
  const { store } = createRedisBackend({
    client: cluster,
    prefix,
    durability: { replicas: 1, timeoutMs: 50 },
  });
  await store.getRecord('warm-up');
  const masters = cluster.nodes('master');
  for (let i = 0; i < 6; i++) {
    const user = randomUUID();
    const before = await Promise.all(masters.map(waitCalls));
    const error = await store.bumpEpoch(user).catch((e: unknown) => e);
    expect(isMfaError(error, 'STORE_UNAVAILABLE')).toBe(true);
    const after = await Promise.all(masters.map(waitCalls));
    const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', `${prefix}{u:${user}}:record`));
    // The bump itself ran (fail closed: the sessions stay ended) on the node that owns the slot, and WAIT too.
    const owners = await Promise.all(
      masters.map(async (node) => Math.min(1, Number(await node.call('CLUSTER', 'COUNTKEYSINSLOT', slot)))),
    );
    expect(owners.filter((owns) => owns === 1)).toHaveLength(1);
    expect(after.map((calls, n) => (calls - (before[n] ?? 0) > 0 ? 1 : 0))).toEqual(owners);
    expect(await store.getEpoch(user)).toBe(1);
  }
});
