/**
 * Issue 14, "remember this device", attacked over HTTP against the example
 * app on Redis: the README's promises the first suite did not check (password
 * change / "sign out of other devices", disabling MFA, the password limiter
 * still applying to a trusted browser, the Redis TTL) and a revocation racing
 * real concurrent sign-ins that use the device, single node and Cluster.
 */
import type { EventType } from '@mfa-kit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AppUser, SEEDED_USERS } from '../../examples/example-app/src/users.js';
import { totpAt } from '../browser/example-server.js';
import {
  agentOf,
  type ExampleOnRedis,
  login,
  PASSWORD,
  postFrom,
  startExampleOnRedis,
  useExampleOnRedis,
} from './example-on-redis.js';

type Agent = ReturnType<typeof agentOf>;

const ALICE = SEEDED_USERS.find((u) => u.username === 'alice') as AppUser;
const NAMES = ['pam', 'quin', 'rex', 'sal', 'ted'];
const USERS: readonly AppUser[] = [
  ALICE,
  ...NAMES.map((username, i) => ({
    id: `t${i + 1}`,
    username,
    name: username,
    email: `${username}@acme.test`,
    orgId: 'acme',
    roles: ['user'],
  })),
];
const idOf = (name: string) => (USERS.find((u) => u.username === name) as AppUser).id;
const COOKIE = 'mfa-trusted';

function tokenOf(setCookie: string[] | string | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  const value = list
    .find((c) => c.startsWith(`${COOKIE}=`))
    ?.split(';')[0]
    ?.split('=')[1];
  if (value === undefined || value === '') throw new Error(`no trust cookie in ${String(setCookie)}`);
  return value;
}

async function enrolOptional(example: ExampleOnRedis, agent: Agent, username: string): Promise<string> {
  expect((await login(example, agent, username)).body.status).toBe('signed-in');
  const secret: string = (await postFrom(example, agent, '/api/mfa/totp/enrol')).body.secret;
  const confirmed = await postFrom(example, agent, '/api/mfa/totp/confirm', {
    code: totpAt(secret, example.clock),
  });
  expect(confirmed.status).toBe(200);
  example.clock.advance(30_000);
  await postFrom(example, agent, '/logout');
  return secret;
}

/** Password, then TOTP with "trust this device"; the browser stays signed in. Returns the token. */
async function trust(example: ExampleOnRedis, agent: Agent, username: string, secret: string) {
  expect((await login(example, agent, username)).body.status).toBe('challenge');
  const answer = await postFrom(example, agent, '/api/mfa/sign-in/totp', {
    code: totpAt(secret, example.clock),
    trustDevice: true,
  });
  example.clock.advance(30_000);
  expect(answer.status).toBe(200);
  return tokenOf(answer.headers['set-cookie']);
}

function loginWithToken(example: ExampleOnRedis, username: string, token: string) {
  return login(example, agentOf(example), username).set('Cookie', `${COOKIE}=${token}`);
}

async function eventsOf(example: ExampleOnRedis, userId: string, type: EventType) {
  return (await example.mfa.events.query({ userId, types: [type] })).events;
}

/**
 * 12 password sign-ins with the device's token in flight at once, and the
 * device revoked by its user among them. Every sign-in that reports the skip
 * recorded exactly one TRUSTED_DEVICE_USED, and none that starts after the
 * revocation answered skips.
 */
async function raceRevocation(example: ExampleOnRedis, username: string, secret: string) {
  const owner = agentOf(example);
  const token = await trust(example, owner, username, secret);
  const deviceId = token.split('.')[0] as string;
  const before = (await eventsOf(example, idOf(username), 'TRUSTED_DEVICE_USED')).length;
  const sign = () => loginWithToken(example, username, token).then((r) => r.body.status as string);
  const during = Array.from({ length: 12 }, sign);
  const revoked = await owner.delete(`/api/mfa/trusted-devices/${deviceId}`).set('Origin', example.baseUrl);
  expect(revoked.status).toBe(200);
  const after = await Promise.all(Array.from({ length: 6 }, sign));
  const statuses = await Promise.all(during);
  for (const status of statuses) expect(['signed-in', 'challenge']).toContain(status);
  expect(after).toEqual(Array(6).fill('challenge'));
  const used = (await eventsOf(example, idOf(username), 'TRUSTED_DEVICE_USED')).length - before;
  expect(used).toBe(statuses.filter((s) => s === 'signed-in').length);
  // The revoked device is not written back by a racing last-use update.
  expect(await example.mfa.trustedDevices.list({ id: idOf(username), roles: ['user'] })).toEqual([]);
}

describe('trusted devices under attack (single Redis)', () => {
  const running = useExampleOnRedis({ users: USERS, clockSource: 'caller' });
  const secrets = new Map<string, string>();
  beforeAll(async () => {
    for (const name of NAMES)
      secrets.set(name, await enrolOptional(running.example, agentOf(running.example), name));
  });
  const secret = (name: string) => secrets.get(name) as string;

  it('"sign out of other devices" (endOtherSessions, the password-change call) ends the trust of every browser', async () => {
    const { example } = running;
    const elsewhere = await trust(example, agentOf(example), 'pam', secret('pam'));
    const here = agentOf(example);
    await trust(example, here, 'pam', secret('pam'));
    expect((await loginWithToken(example, 'pam', elsewhere)).body.status).toBe('signed-in');
    const ended = await postFrom(example, here, '/api/mfa/sign-out-others');
    expect(ended.status).toBe(200);
    expect((await loginWithToken(example, 'pam', elsewhere)).body.status).toBe('challenge');
    expect((await here.get('/api/mfa/trusted-devices')).body.devices).toEqual([]);
  });

  it('disabling MFA ends the trust: after setting it up again the old browser is challenged', async () => {
    const { example } = running;
    const browser = agentOf(example);
    const token = await trust(example, browser, 'quin', secret('quin'));
    const disabled = await postFrom(example, browser, '/api/mfa/disable', {
      factor: 'totp',
      code: totpAt(secret('quin'), example.clock),
    });
    expect(disabled.status).toBe(200);
    example.clock.advance(30_000);
    secrets.set('quin', await enrolOptional(example, agentOf(example), 'quin'));
    expect((await loginWithToken(example, 'quin', token)).body.status).toBe('challenge');
  });

  it('a trusted browser still meets the password cooldown (429), and skips again once it is over', async () => {
    const { example } = running;
    const token = await trust(example, agentOf(example), 'rex', secret('rex'));
    let cooled = false;
    for (let i = 0; i < 30 && !cooled; i++) {
      const wrong = await agentOf(example)
        .post('/api/login')
        .set('Origin', example.baseUrl)
        .send({ username: 'rex', password: `${PASSWORD}-wrong` });
      cooled = wrong.status === 429;
    }
    expect(cooled).toBe(true);
    const refused = await loginWithToken(example, 'rex', token);
    expect(refused.status).toBe(429);
    expect(refused.body.status).toBeUndefined();
    expect(await eventsOf(example, idOf('rex'), 'TRUSTED_DEVICE_USED')).toEqual([]);
  });

  it("the devices hash has a TTL covering the device's expiry (garbage collection), and holds no token", async () => {
    const { example } = running;
    const token = await trust(example, agentOf(example), 'sal', secret('sal'));
    const keys = await example.redis.keys(`${example.mfaPrefix}*${idOf('sal')}*devices`);
    expect(keys).toHaveLength(1);
    const ttl = await example.redis.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(30 * 24 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600_000 + 60_000);
    expect(JSON.stringify(await example.redis.hgetall(keys[0] as string))).not.toContain(token.split('.')[1]);
  });

  it('a revocation racing concurrent sign-ins with the device wins; every skip is recorded once', async () => {
    await raceRevocation(running.example, 'ted', secret('ted'));
  });
});

describe('trusted devices under attack (Redis Cluster)', () => {
  it('a revocation racing concurrent sign-ins with the device wins; every skip is recorded once', async () => {
    const example = await startExampleOnRedis({ users: USERS, cluster: true, clockSource: 'caller' });
    try {
      const secret = await enrolOptional(example, agentOf(example), 'ted');
      await raceRevocation(example, 'ted', secret);
    } finally {
      await example.close();
    }
  });
});
