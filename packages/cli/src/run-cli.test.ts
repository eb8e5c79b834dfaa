import { randomBytes } from 'node:crypto';
import { type Mfa, createMfa } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterUrls,
  createTestCluster,
  createTestRedis,
  redisUrl,
  uniquePrefix,
} from '../../../test/harness/index.js';
import type { CliIo } from './io.js';
import { runCli } from './run-cli.js';

/** A terminal that answers prompts from a script and records what was shown. */
function terminal(answers: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    interactive: true,
    ask: async (prompt) => {
      prompts.push(prompt);
      return answers.shift() ?? '';
    },
  };
  return { io, out, err, prompts };
}

function instance(client: Redis | Cluster, prefix: string): Mfa {
  return createMfa({
    // No policy cache: these tests read back at once what the CLI (another backend) just saved.
    backend: createRedisBackend({ client, prefix, policyCacheMs: 0 }),
    encryption: { keys: { k: randomBytes(32) }, currentKeyId: 'k' },
    hashKey: randomBytes(32),
    issuer: 'cli-test',
  });
}

describe('runCli confirmation prompts (interactive terminal)', () => {
  let redis: Redis;
  const prefix = uniquePrefix('cli-prompt');
  let mfa: Mfa;
  const env = () => ({ REDIS_URL: redisUrl() });

  beforeAll(() => {
    redis = createTestRedis();
    mfa = instance(redis, prefix);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('status shows how many trusted devices can still skip the second factor; a lock ends them', async () => {
    const t = terminal([]);
    const cli = (...args: string[]) => runCli([...args, '--prefix', prefix], env(), t.io, 'ops');
    for (let i = 0; i < 2; i += 1)
      expect((await mfa.trustedDevices.trust({ id: 'dora' }, { factor: 'totp', epoch: 0 })).ok).toBe(true);
    expect(await cli('status', 'dora')).toBe(0);
    expect(t.out.at(-1)).toMatch(/^Trusted devices\s+2$/m);
    expect(await cli('lock', 'dora', '--force', '--yes')).toBe(0);
    expect(await cli('status', 'dora', '--json')).toBe(0);
    expect(JSON.parse(t.out.at(-1) ?? '{}')).toMatchObject({ userId: 'dora', trustedDevices: 0 });
  });

  it("status lists the user's passkeys; a reset removes them", async () => {
    const t = terminal([]);
    const cli = (...args: string[]) => runCli([...args, '--prefix', prefix], env(), t.io, 'ops');
    const { store } = createRedisBackend({ client: redis, prefix });
    const now = Date.now();
    await store.putWebAuthnChallenge(
      'wendy',
      { challenge: 'c1', purpose: 'register', binding: 'b', expiresAt: now + 60_000 },
      now,
    );
    const credential = {
      id: 'Y3JlZGVudGlhbC1vbmU',
      publicKey: 'pk',
      counter: 0,
      transports: ['internal'],
      name: 'YubiKey',
      createdAt: now,
      lastUsedAt: null,
      backupEligible: false,
      backedUp: false,
    };
    expect(
      await store.addWebAuthnCredential('wendy', credential, { challenge: 'c1', binding: 'b', now, max: 10 }),
    ).toBe('added');
    expect(await cli('status', 'wendy')).toBe(0);
    expect(t.out.at(-1)).toMatch(/^Passkeys\s+YubiKey \(id Y3JlZGVudGlh…, added .*, last used never\)$/m);
    expect(t.out.at(-1)).toMatch(/^Enrolled\s+yes: 1 passkey\(s\)$/m);
    expect(await cli('reset', 'wendy', '--yes')).toBe(0);
    expect(await cli('status', 'wendy', '--json')).toBe(0);
    expect(JSON.parse(t.out.at(-1) ?? '{}')).toMatchObject({
      userId: 'wendy',
      enrolled: false,
      webauthn: [],
    });
  });

  it('asks for the user id; a wrong answer aborts with exit 1 and changes nothing', async () => {
    const t = terminal(['bob']);
    const code = await runCli(['lock', 'alice', '--prefix', prefix, '--force'], env(), t.io, 'ops');
    expect(code).toBe(1);
    expect(t.prompts[0]).toMatch(/Type the user id to confirm: $/);
    expect(t.err.join('\n')).toMatch(/aborted/);
    expect((await mfa.status({ id: 'alice' })).limiter.locked).toBe(false);
  });

  it('the right user id goes ahead and records the OS user as the actor', async () => {
    const t = terminal(['alice']);
    const code = await runCli(
      ['lock', 'alice', '--prefix', prefix, '--force', '--reason', 'prompted'],
      env(),
      t.io,
      'ops',
    );
    expect(code).toBe(0);
    expect((await mfa.status({ id: 'alice' })).limiter.locked).toBe(true);
    const [event] = (await mfa.events.query({ userId: 'alice', types: ['ADMIN_LOCK'] })).events;
    expect(event?.actor).toEqual({ kind: 'cli', id: 'cli', osUser: 'ops' });
  });

  it('clear-address gives an address (IPv6: its /64) its second-factor budget back, audited', async () => {
    const { counters } = createRedisBackend({ client: redis, prefix });
    const budget = { limit: 1, windowMs: 3_600_000 };
    expect((await counters.reserve('addr:2001:db8:5:5:0:0:0:0/64', budget, Date.now())).allowed).toBe(true);
    expect((await counters.reserve('addr:2001:db8:5:5:0:0:0:0/64', budget, Date.now())).allowed).toBe(false);
    const t = terminal([]);
    const code = await runCli(
      ['clear-address', '2001:db8:5:5::77', '--prefix', prefix, '--reason', 'office NAT'],
      env(),
      t.io,
      'ops',
    );
    expect(code).toBe(0);
    expect(t.out.join('\n')).toContain('2001:db8:5:5:0:0:0:0/64');
    expect((await counters.reserve('addr:2001:db8:5:5:0:0:0:0/64', budget, Date.now())).allowed).toBe(true);
    const [event] = (await mfa.events.query({ types: ['ADMIN_ADDRESS_CLEARED'] })).events;
    expect(event).toMatchObject({ actor: { kind: 'cli', osUser: 'ops' }, details: { reason: 'office NAT' } });
  });

  it('store acknowledge-reset is audited: STORE_RESET_ACKNOWLEDGED with the OS user and the time', async () => {
    const before = Date.now();
    const t = terminal(['y']);
    const code = await runCli(['store', 'acknowledge-reset', '--prefix', prefix], env(), t.io, 'ops');
    expect(code).toBe(0);
    const marker = await redis.get(`${prefix}deployment`);
    expect(marker).toMatch(/^ack:/);
    const [event] = (await mfa.events.query({ types: ['STORE_RESET_ACKNOWLEDGED'] })).events;
    expect(event).toMatchObject({
      actor: { kind: 'cli', id: 'cli', osUser: 'ops' },
      details: { marker },
      userId: null,
    });
    expect(event?.time).toBeGreaterThanOrEqual(before);
  });

  it('policy set shows the result and needs y', async () => {
    const no = terminal(['n']);
    expect(
      await runCli(
        ['policy', 'set', '--from-builtin', '--require-role', 'x', '--prefix', prefix],
        env(),
        no.io,
        'ops',
      ),
    ).toBe(1);
    expect(no.prompts[0]).toMatch(/Required roles\s+x[\s\S]*Apply it\? \[y\/N\] $/);
    expect(await redis.exists(`${prefix}policy`)).toBe(0);
    const yes = terminal(['y']);
    expect(
      await runCli(
        ['policy', 'set', '--from-builtin', '--require-role', 'x', '--prefix', prefix],
        env(),
        yes.io,
        'ops',
      ),
    ).toBe(0);
    expect((await mfa.admin.getPolicy()).requiredRoles).toEqual(['x']);
  });
});

describe('runCli on Redis Cluster', () => {
  let cluster: Cluster;
  const prefix = uniquePrefix('cli-cluster');

  beforeAll(() => {
    cluster = createTestCluster();
  });
  afterAll(async () => {
    await cluster.quit();
  });

  it('locks, shows and unlocks a user through --redis-cluster', async () => {
    const t = terminal([]);
    const cli = (...args: string[]) =>
      runCli(
        [...args, '--prefix', prefix, '--yes'],
        { REDIS_CLUSTER_URLS: clusterUrls().join(',') },
        t.io,
        'ops',
      );
    expect(await cli('lock', 'carol', '--force')).toBe(0);
    const mfa = instance(cluster, prefix);
    expect((await mfa.status({ id: 'carol' })).limiter.locked).toBe(true);
    expect(await cli('status', 'carol', '--json')).toBe(0);
    expect(JSON.parse(t.out.at(-1) ?? '{}')).toMatchObject({ userId: 'carol', limiter: { locked: true } });
    expect(await cli('unlock', 'carol', '--break-glass')).toBe(0);
    expect((await mfa.status({ id: 'carol' })).limiter.locked).toBe(false);
  });
});
