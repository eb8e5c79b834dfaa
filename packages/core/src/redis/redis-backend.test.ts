import type { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../../../../test/harness/index.js';
import { isMfaError } from '../errors.js';
import { createRedisBackend } from './create-redis-backend.js';
import { acknowledgeStoreReset } from './deployment-marker.js';

const single = createTestRedis();
const cluster = createTestCluster();
afterAll(async () => {
  await Promise.all([single.quit(), cluster.quit()]);
});

// The store conformance suites run against this backend in packages/testing.

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

  it('appends an event older than the newest entry (clock skew) under the newest time: ids grow, none before its event', async () => {
    const prefix = uniquePrefix('skewed');
    const { events } = createRedisBackend({ client, prefix });
    const t = Date.now();
    const first = await events.append({
      type: 'SESSION_EXPIRED',
      userId: 'a',
      details: { stage: 'challenge' },
      time: t,
    });
    // Another process whose clock is 5 s behind appends next: Redis refuses `<t - 5000>-*`, the script retries under t.
    const late = await events.append({
      type: 'SESSION_EXPIRED',
      userId: 'b',
      details: { stage: 'challenge' },
      time: t - 5_000,
    });
    const next = await events.append({
      type: 'SESSION_EXPIRED',
      userId: 'c',
      details: { stage: 'challenge' },
      time: t + 10,
    });
    expect(first.id.startsWith(`${t}-`)).toBe(true);
    expect(late.id.startsWith(`${t}-`)).toBe(true);
    expect(late.id).not.toBe(first.id);
    expect(late.time).toBe(t - 5_000);
    expect(next.id).toBe(`${t + 10}-0`);
    const page = await events.query({ since: t - 5_000 });
    expect(page.events.map((e) => e.userId)).toEqual(['c', 'b', 'a']);
  });

  it('keeps every audit event through a flood that trims the events stream (own stream, no count cap)', async () => {
    const prefix = uniquePrefix('audit-flood');
    const { events } = createRedisBackend({ client, prefix, eventStreamMaxLength: 10 });
    const t = Date.now();
    const audit = [];
    for (let i = 0; i < 5; i++) {
      audit.push(
        await events.append({
          type: 'ADMIN_UNLOCK',
          userId: `victim${i}`,
          actor: { kind: 'admin', id: 'root' },
          details: {},
          time: t + i,
        }),
      );
    }
    for (let i = 0; i < 450; i++) {
      await events.append({
        type: 'VERIFICATION_FAILED',
        userId: 'target',
        details: { factor: 'totp', reason: 'mismatch' },
        time: t + 10 + i,
      });
    }
    expect(await client.xlen(`${prefix}events`)).toBeLessThanOrEqual(110);
    const page = await events.query({ types: ['ADMIN_UNLOCK'], limit: 10 });
    expect(page.events.map((e) => e.id)).toEqual(audit.reverse().map((e) => e.id));
  });

  it('warns once at the first store call when Redis persists nothing (the harness runs without AOF/RDB)', async () => {
    const warnings: string[] = [];
    const { store, policies } = createRedisBackend({
      client,
      prefix: uniquePrefix('persistence'),
      onWarning: (message) => warnings.push(message),
    });
    await Promise.all([store.getRecord('u1'), policies.get()]);
    await store.getRecord('u2');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/persists nothing/);
  });

  it('a deleted deployment marker is STORE_RESET for this and every later backend until acknowledged', async () => {
    const prefix = uniquePrefix('marker');
    const quiet = { client, prefix, onWarning: () => {} };
    const first = createRedisBackend(quiet);
    expect(await first.store.getRecord('u1')).toBeNull();
    await client.del(`${prefix}deployment`);
    for (const read of [() => first.store.getRecord('u1'), () => first.policies.get()]) {
      expect(isMfaError(await read().catch((e: unknown) => e), 'STORE_RESET')).toBe(true);
    }
    // A process started after the wipe is not fooled into starting over.
    const later = createRedisBackend(quiet);
    expect(isMfaError(await later.store.getRecord('u1').catch((e: unknown) => e), 'STORE_RESET')).toBe(true);
    await acknowledgeStoreReset(client, { prefix });
    expect(await first.store.getRecord('u1')).toBeNull();
    expect(await later.policies.get()).toBeNull();
  });

  it('rejects bad options with a configuration error', () => {
    for (const bad of [
      { prefix: 'a{b' },
      { commandTimeoutMs: 0 },
      { eventStreamMaxLength: 1.5 },
      { auditRetentionMs: 0 },
      { durability: { replicas: 0, timeoutMs: 50 } },
      // WAIT must end before the call's own bound (commandTimeoutMs, default 2000).
      { durability: { replicas: 1, timeoutMs: 2_000 } },
    ]) {
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
