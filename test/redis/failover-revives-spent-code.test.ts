// Attack: a recovery code or TOTP step is spent on the primary, the primary
// dies before its replica received the spend, the replica is promoted
// (REPLICAOF NO ONE), and the spent code is valid again. With
// `durability: { replicas: 1, timeoutMs }` a spend is reported as a success
// only after a replica acknowledged it (WAIT), so a success survives the
// failover; a spend the replica did not acknowledge is STORE_UNAVAILABLE.
import { randomUUID } from 'node:crypto';
import { type AttemptInput, isMfaError } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import { LIMITS, LOCK, TOTP_FACTOR } from './fixtures.js';
import { type ReplicationLink, replicationField, startReplicationLink } from './replication-link.js';

const DURABILITY = { replicas: 1, timeoutMs: 300 };
const now = Date.now();

interface Pair {
  primary: PrivateRedisServer;
  replica: PrivateRedisServer;
  link: ReplicationLink;
  primaryClient: Redis;
  replicaClient: Redis;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
});

function client(url: string): Redis {
  // No reconnect storm after the primary is killed; errors surface through the store.
  const redis = new Redis(url, { retryStrategy: () => null, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  cleanup.push(async () => redis.disconnect());
  return redis;
}

async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A primary and a replica that replicates through a relay the test controls. */
async function startPair(): Promise<Pair> {
  const primary = await startRedisServer();
  cleanup.push(() => primary.stop());
  const replica = await startRedisServer();
  cleanup.push(() => replica.stop());
  const link = await startReplicationLink(primary.port);
  cleanup.push(() => link.close());
  const primaryClient = client(primary.url);
  const replicaClient = client(replica.url);
  // Start the initial sync at once instead of waiting 5 s for more replicas to join.
  await primaryClient.config('SET', 'repl-diskless-sync-delay', '0');
  await replicaClient.replicaof('127.0.0.1', link.port);
  await waitUntil('the replica to sync', async () => {
    return (await replicationField(replicaClient, 'master_link_status')) === 'up';
  });
  await waitUntil('the primary to see its replica', async () => {
    return (await replicationField(primaryClient, 'connected_slaves')) === '1';
  });
  return { primary, replica, link, primaryClient, replicaClient };
}

/** The primary dies with the link cut, then the replica is promoted; returns a store on the new primary. */
async function failOver(pair: Pair, prefix: string) {
  pair.link.cut();
  await pair.primary.stop();
  await pair.replicaClient.replicaof('NO', 'ONE');
  expect(await replicationField(pair.replicaClient, 'role')).toBe('master');
  return createRedisBackend({ client: pair.replicaClient, prefix }).store;
}

const recovery = (hash: string): AttemptInput => ({
  family: 'recovery',
  check: { type: 'recovery', hash },
  limits: LIMITS,
  lock: LOCK,
  now,
});
const totp = (step: number): AttemptInput => ({
  family: 'totp',
  check: { type: 'totp', step },
  limits: LIMITS,
  lock: LOCK,
  now,
});

/** Enrols a TOTP factor and recovery codes on the primary and waits until the replica has them. */
async function enrol(pair: Pair, prefix: string, user: string): Promise<void> {
  const { store } = createRedisBackend({ client: pair.primaryClient, prefix });
  await store.setTotp(user, TOTP_FACTOR);
  await store.replaceRecoveryCodes(user, ['code-a', 'code-b']);
  expect(await pair.primaryClient.wait(1, 2_000)).toBe(1);
}

describe('failover after a spend (master + replica, REPLICAOF NO ONE)', () => {
  it('with durability, a recovery code and a TOTP step reported as spent stay spent after the failover', async () => {
    const pair = await startPair();
    const prefix = 'failover:';
    const user = randomUUID();
    await enrol(pair, prefix, user);
    const { store } = createRedisBackend({ client: pair.primaryClient, prefix, durability: DURABILITY });

    // The replica lags by 100 ms (well under the WAIT timeout): a spend reported before it caught up would be lost.
    pair.link.hold();
    const catchUp = setTimeout(() => pair.link.release(), 100);
    cleanup.push(async () => clearTimeout(catchUp));
    expect(await store.attempt(user, recovery('code-a'))).toMatchObject({ ok: true });
    expect(await store.attempt(user, totp(1_000))).toMatchObject({ ok: true });

    const promoted = await failOver(pair, prefix);
    expect(await promoted.attempt(user, recovery('code-a'))).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
      reason: 'mismatch',
    });
    expect(await promoted.attempt(user, totp(1_000))).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
      reason: 'replay',
    });
    // The rest of the record came across: the other code still works once.
    expect(await promoted.attempt(user, recovery('code-b'))).toMatchObject({ ok: true });
  });

  it('with durability, a spend the replica did not acknowledge is STORE_UNAVAILABLE, never a success', async () => {
    const pair = await startPair();
    const prefix = 'failover-lag:';
    const user = randomUUID();
    await enrol(pair, prefix, user);
    const { store } = createRedisBackend({ client: pair.primaryClient, prefix, durability: DURABILITY });

    pair.link.hold(); // the replica lags: nothing the primary sends reaches it
    const error = await store.attempt(user, recovery('code-a')).catch((e: unknown) => e);
    expect(isMfaError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect(String((error as Error).cause)).toMatch(/0 of 1 replica/);
    // Fail closed on the primary: the spend stays spent there.
    const plain = createRedisBackend({ client: pair.primaryClient, prefix }).store;
    expect(await plain.attempt(user, recovery('code-a'))).toMatchObject({ ok: false, reason: 'mismatch' });
    pair.link.release();
  });

  it('without durability, a code reported as spent comes back after the failover (the hazard the option closes)', async () => {
    const pair = await startPair();
    const prefix = 'failover-plain:';
    const user = randomUUID();
    await enrol(pair, prefix, user);
    const { store } = createRedisBackend({ client: pair.primaryClient, prefix });

    pair.link.hold();
    expect(await store.attempt(user, recovery('code-a'))).toMatchObject({ ok: true });
    const promoted = await failOver(pair, prefix);
    expect(await promoted.attempt(user, recovery('code-a'))).toMatchObject({ ok: true });
  });

  it('with min-replicas-to-write 1, a primary cut off from its replica refuses the spend (NOREPLICAS → STORE_UNAVAILABLE)', async () => {
    const pair = await startPair();
    const prefix = 'failover-minreplicas:';
    const user = randomUUID();
    await enrol(pair, prefix, user);
    await pair.primaryClient.config('SET', 'min-replicas-to-write', '1');
    const { store } = createRedisBackend({ client: pair.primaryClient, prefix });
    await pair.link.close(); // a partition: the replica can't reconnect
    await waitUntil('the primary to lose its replica', async () => {
      return (await replicationField(pair.primaryClient, 'connected_slaves')) === '0';
    });
    const error = await store.attempt(user, recovery('code-a')).catch((e: unknown) => e);
    expect(isMfaError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect(String((error as Error).cause)).toMatch(/NOREPLICAS/);
  });
});

describe('failover after a factor, session or policy write (durability covers more than spends)', () => {
  const writes = (store: ReturnType<typeof createRedisBackend>, user: string) => [
    () => store.store.bumpEpoch(user),
    () => store.store.setTotp(user, { ...TOTP_FACTOR, enrolledAt: TOTP_FACTOR.enrolledAt + 1 }),
    () => store.store.setSms(user, null),
    () => store.store.replaceRecoveryCodes(user, ['code-c']),
    () => store.store.incrementGraceSignIns(user),
    () => store.store.deleteSmsChallenge(user, 'sign-in'),
    () =>
      store.policies.set({
        requiredRoles: ['admin'],
        requiredOrgs: [],
        rollout: { mode: 'all' },
        grace: null,
        allowSelfUnlock: false,
      }),
    async () => {
      const { version } = await store.policies.getVersioned();
      await store.policies.compareAndSet(version, {
        requiredRoles: ['owner'],
        requiredOrgs: [],
        rollout: { mode: 'all' },
        grace: null,
        allowSelfUnlock: false,
      });
    },
    () => store.trustedDevices.revoke(user, 'device-1'),
  ];

  it('with durability, a factor change, epoch bump, grace count, withdrawn SMS code, policy edit or trusted-device revocation the replica did not acknowledge is STORE_UNAVAILABLE', async () => {
    const pair = await startPair();
    const prefix = 'failover-writes-lag:';
    const user = randomUUID();
    await enrol(pair, prefix, user);
    const backend = createRedisBackend({ client: pair.primaryClient, prefix, durability: DURABILITY });
    pair.link.hold();
    for (const write of writes(backend, user)) {
      const error = await write().catch((e: unknown) => e);
      expect(isMfaError(error, 'STORE_UNAVAILABLE')).toBe(true);
      expect(String((error as Error).cause)).toMatch(/0 of 1 replica/);
    }
    pair.link.release();
  });

  it('with durability, a session epoch bump, a new secret, replaced recovery codes and a withdrawn SMS code survive the failover', async () => {
    const pair = await startPair();
    const prefix = 'failover-writes:';
    const user = randomUUID();
    await enrol(pair, prefix, user);
    const primary = createRedisBackend({ client: pair.primaryClient, prefix });
    await primary.store.putSmsChallenge(
      user,
      { codeHash: 'sms-1', purpose: 'sign-in', sealedPhone: 'p', maskedPhone: 'm', expiresAt: now + 300_000 },
      now,
    );
    expect(await pair.primaryClient.wait(1, 2_000)).toBe(1);
    const epoch = await primary.store.getEpoch(user);
    const { store } = createRedisBackend({ client: pair.primaryClient, prefix, durability: DURABILITY });

    // The replica lags by 100 ms (under the WAIT timeout): each write is reported only once it has it.
    pair.link.hold();
    const catchUp = setTimeout(() => pair.link.release(), 100);
    cleanup.push(async () => clearTimeout(catchUp));
    expect(await store.bumpEpoch(user)).toBe(epoch + 1);
    const newFactor = { ...TOTP_FACTOR, enrolledAt: TOTP_FACTOR.enrolledAt + 1 };
    await store.setTotp(user, newFactor);
    await store.replaceRecoveryCodes(user, ['code-c']);
    await store.deleteSmsChallenge(user, 'sign-in');

    const promoted = await failOver(pair, prefix);
    expect(await promoted.getEpoch(user)).toBe(epoch + 1); // the ended sessions stay ended
    expect((await promoted.getRecord(user))?.totp).toEqual(newFactor); // the old secret stays gone
    expect(await promoted.attempt(user, recovery('code-a'))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await promoted.attempt(user, recovery('code-c'))).toMatchObject({ ok: true });
    expect(await promoted.getSmsChallenge(user, 'sign-in', now)).toBeNull();
  });
});
