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
import { countRoundTrips } from './count-round-trips.js';

type Agent = ReturnType<typeof agentOf>;

/** Enrolled inside its own test (its recovery codes are needed). */
const VIC: AppUser = {
  id: 't9',
  username: 'vic',
  name: 'vic',
  email: 'vic@acme.test',
  orgId: 'acme',
  roles: ['user'],
};
const NAMES = ['pam', 'quin', 'rex', 'sal', 'ted'];
const USERS: readonly AppUser[] = [
  ...SEEDED_USERS,
  ...NAMES.map((username, i) => ({
    id: `t${i + 1}`,
    username,
    name: username,
    email: `${username}@acme.test`,
    orgId: 'acme',
    roles: ['user'],
  })),
  VIC,
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

/**
 * 12 sign-ins with the device in flight while another session of the user
 * signs out everywhere: once that answers, every session the racing sign-ins
 * got is refused at its next request, and the token skips nothing any more.
 */
async function raceSignOutEverywhere(example: ExampleOnRedis, username: string, secret: string) {
  const other = agentOf(example);
  const token = await trust(example, other, username, secret);
  const browsers = Array.from({ length: 12 }, () => agentOf(example));
  const during = browsers.map((b) =>
    login(example, b, username)
      .set('Cookie', `${COOKIE}=${token}`)
      .then((r) => r.body.status as string),
  );
  const ended = await postFrom(example, other, '/api/mfa/sign-out-everywhere');
  expect(ended.status).toBe(200);
  const statuses = await Promise.all(during);
  for (const status of statuses) expect(['signed-in', 'challenge']).toContain(status);
  const after = await Promise.all(browsers.map((b) => b.get('/api/mfa/status').then((r) => r.status)));
  expect(after).toEqual(Array(12).fill(401));
  expect((await loginWithToken(example, username, token)).body.status).toBe('challenge');
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

  it('a recovery code never trusts a device: a stolen code is worth one sign-in, not 30 days', async () => {
    const { example } = running;
    const owner = agentOf(example);
    expect((await login(example, owner, 'vic')).body.status).toBe('signed-in');
    const secret: string = (await postFrom(example, owner, '/api/mfa/totp/enrol')).body.secret;
    const confirmed = await postFrom(example, owner, '/api/mfa/totp/confirm', {
      code: totpAt(secret, example.clock),
    });
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    // The thief has the password and one recovery code, and ticks "trust this device".
    const thief = agentOf(example);
    expect((await login(example, thief, 'vic')).body.status).toBe('challenge');
    const answer = await postFrom(example, thief, '/api/mfa/sign-in/recovery', {
      code: codes[0],
      trustDevice: true,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'signed-in',
      trustedDevice: null,
      trustRefused: 'POLICY_FORBIDS',
    });
    expect(String(answer.headers['set-cookie'] ?? '')).not.toContain(`${COOKIE}=`);
    expect(await example.mfa.trustedDevices.list(VIC)).toEqual([]);
    // The thief's next sign-in is challenged again.
    await postFrom(example, thief, '/logout');
    expect((await login(example, thief, 'vic')).body.status).toBe('challenge');
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

  it('"sign out everywhere" racing concurrent sign-ins with the device leaves none of their sessions alive', async () => {
    await raceSignOutEverywhere(running.example, 'ted', secret('ted'));
  });

  it('a browser trusted before a limiter lock (wrong codes from the password holder) gets 423, not the skip', async () => {
    const { example } = running;
    const token = await trust(example, agentOf(example), 'quin', secret('quin'));
    const before = (await eventsOf(example, idOf('quin'), 'TRUSTED_DEVICE_USED')).length;
    let locked = false;
    for (let i = 0; i < 40 && !locked; i++) {
      const attacker = agentOf(example);
      const started = await login(example, attacker, 'quin');
      if (started.status === 423) locked = true;
      else if (started.body.status === 'challenge') {
        const wrong = await postFrom(example, attacker, '/api/mfa/sign-in/totp', { code: '000000' });
        if (wrong.status === 429) example.clock.advance(6 * 60_000);
        if (wrong.status === 423) locked = true;
      }
    }
    expect(locked).toBe(true);
    const refused = await loginWithToken(example, 'quin', token);
    expect(refused.status).toBe(423);
    expect(refused.body.error?.code).toBe('ACCOUNT_LOCKED');
    expect(await eventsOf(example, idOf('quin'), 'TRUSTED_DEVICE_USED')).toHaveLength(before);
  });

  it('reading the device adds no sequential Redis round trip to the password step (only recording the outcome does)', async () => {
    const { example } = running;
    const stranger = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
    const measure = async (cookie: string | null) => {
      const agent = agentOf(example);
      const counter = countRoundTrips(example.redis);
      const answer = await (cookie === null
        ? login(example, agent, 'sal')
        : login(example, agent, 'sal').set('Cookie', `${COOKIE}=${cookie}`));
      const counted = counter.stop();
      expect(answer.body.status).toBe('challenge');
      return counted;
    };
    await measure(stranger); // loads the scripts
    const plain = await measure(null);
    const refused = await measure(stranger);
    const events = await eventsOf(example, idOf('sal'), 'TRUSTED_DEVICE_REFUSED');
    expect(events.at(0)?.details).toEqual({ deviceId: null, reason: 'unknown' });
    // One HGET more, in a round trip that was there anyway; one more round trip: the refusal event.
    expect(refused.commands - plain.commands).toBeGreaterThanOrEqual(2);
    expect(refused.roundTrips).toBe(plain.roundTrips + 1);
  });

  it("admins outside the user's organisation, or without mfa:reset, neither see nor revoke the device", async () => {
    const { example } = running;
    const token = await trust(example, agentOf(example), 'sal', secret('sal'));
    const deviceId = token.split('.')[0] as string;
    const base = `/api/admin/mfa/users/${idOf('sal')}/trusted-devices`;
    // dave: admin of globex (not rolled out, so signed in by password alone).
    const dave = agentOf(example);
    expect((await login(example, dave, 'dave')).body.status).toBe('signed-in');
    expect((await dave.get(base)).status).toBe(404);
    expect((await dave.get('/admin/users/sal/devices')).status).toBe(404);
    const daveRevoke = await postFrom(example, dave, `${base}/${deviceId}/revoke`, { reason: 'x' });
    expect(daveRevoke.status).toBe(404);
    // erin: support in acme (mfa:read only): sees the device, without its secret or hash, but can't revoke it.
    const erinSecret = await enrolOptional(example, agentOf(example), 'erin');
    const erin = agentOf(example);
    expect((await login(example, erin, 'erin')).body.status).toBe('challenge');
    const signed = await postFrom(example, erin, '/api/mfa/sign-in/totp', {
      code: totpAt(erinSecret, example.clock),
    });
    expect(signed.status).toBe(200);
    example.clock.advance(30_000);
    const listed = await erin.get(base);
    expect(listed.status).toBe(200);
    expect(listed.body.devices.map((d: { id: string }) => d.id)).toContain(deviceId);
    expect(JSON.stringify(listed.body)).not.toMatch(/secretHash|epoch/);
    expect(JSON.stringify(listed.body)).not.toContain(token.split('.')[1]);
    const erinRevoke = await postFrom(example, erin, `${base}/${deviceId}/revoke`, { reason: 'x' });
    expect(erinRevoke.status).toBe(403);
    expect((await loginWithToken(example, 'sal', token)).body.status).toBe('signed-in');
    expect(await eventsOf(example, idOf('sal'), 'TRUSTED_DEVICE_REVOKED')).toEqual([]);
  });
});

describe('trusted devices under attack (Redis Cluster)', () => {
  it('a revocation or "sign out everywhere" racing concurrent sign-ins with the device wins', async () => {
    const example = await startExampleOnRedis({ users: USERS, cluster: true, clockSource: 'caller' });
    try {
      const secret = await enrolOptional(example, agentOf(example), 'ted');
      await raceRevocation(example, 'ted', secret);
      await raceSignOutEverywhere(example, 'ted', secret);
    } finally {
      await example.close();
    }
  });
});
