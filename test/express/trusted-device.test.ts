/**
 * Issue 14, "remember this device", replayed over HTTP against the example
 * app on Redis: what a trusted browser may skip, and every way its token
 * must stop working (reset, lock, sign out everywhere, revocation, expiry,
 * a policy that forbids it), plus the tokens an attacker would try (copied
 * from another user, tampered) and the cookie's flags.
 */
import type { EventType } from '@mfa-kit/core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AppUser, SEEDED_USERS } from '../../examples/example-app/src/users.js';
import { totpAt } from '../browser/example-server.js';
import {
  agentOf,
  type ExampleOnRedis,
  login,
  postFrom,
  signInEnrolling,
  startExampleOnRedis,
  useExampleOnRedis,
} from './example-on-redis.js';
import { createTestApp, enrolTotp, post, login as testLogin, totp } from './test-app.js';

type Agent = ReturnType<typeof agentOf>;

const ALICE = SEEDED_USERS.find((u) => u.username === 'alice') as AppUser;
const USERS: readonly AppUser[] = [
  ALICE,
  ...['bob', 'tom', 'uma', 'vic', 'wes', 'xia'].map((username, i) => ({
    id: `u${i + 2}`,
    username,
    name: username,
    email: `${username}@acme.test`,
    orgId: 'acme',
    roles: ['user'],
  })),
];
const DAY = 24 * 60 * 60_000;
const COOKIE = 'mfa-trusted';

function trustCookie(setCookie: string[] | string | undefined): string | null {
  const list = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  return list.find((c) => c.startsWith(`${COOKIE}=`) || c.startsWith(`__Host-${COOKIE}=`)) ?? null;
}

function tokenOf(cookie: string | null): string {
  const value = cookie?.split(';')[0]?.split('=')[1];
  if (value === undefined || value === '') throw new Error(`no trust cookie in ${cookie}`);
  return value;
}

/** An optional-MFA user signs in with their password and sets up TOTP; returns the secret. */
async function enrolOptional(example: ExampleOnRedis, agent: Agent, username: string): Promise<string> {
  const started = await login(example, agent, username);
  expect(started.body.status).toBe('signed-in');
  const enrol = await postFrom(example, agent, '/api/mfa/totp/enrol');
  const secret: string = enrol.body.secret;
  const confirmed = await postFrom(example, agent, '/api/mfa/totp/confirm', {
    code: totpAt(secret, example.clock),
  });
  expect(confirmed.status).toBe(200);
  example.clock.advance(30_000);
  await postFrom(example, agent, '/logout');
  return secret;
}

/** Password, then TOTP with "trust this device" ticked; returns the Set-Cookie line of the trust cookie. */
async function signInTrusting(example: ExampleOnRedis, agent: Agent, username: string, secret: string) {
  expect((await login(example, agent, username)).body.status).toBe('challenge');
  const answer = await postFrom(example, agent, '/api/mfa/sign-in/totp', {
    code: totpAt(secret, example.clock),
    trustDevice: true,
  });
  example.clock.advance(30_000);
  expect(answer.status).toBe(200);
  return { answer, cookie: trustCookie(answer.headers['set-cookie']) };
}

/** A password sign-in on a browser that holds `token` only (no session). */
function loginWithToken(example: ExampleOnRedis, username: string, token: string) {
  return login(example, agentOf(example), username).set('Cookie', `${COOKIE}=${token}`);
}

/** The browser's session cookie value (the id rotates at every authentication change). */
function sessionOf(agent: Agent, example: ExampleOnRedis): string {
  const jar = (
    agent as unknown as { jar: { getCookie(name: string, access: object): { value: string } | undefined } }
  ).jar;
  const url = new URL(example.baseUrl);
  return (
    jar.getCookie('mfa-example.sid', { domain: url.hostname, path: '/', secure: false, script: false })
      ?.value ?? ''
  );
}

async function eventsOf(example: ExampleOnRedis, userId: string, type: EventType) {
  return (await example.mfa.events.query({ userId, types: [type] })).events;
}

describe('trusted devices (single Redis)', () => {
  const running = useExampleOnRedis({ users: USERS, clockSource: 'caller' });
  let admin: Agent;
  const secrets = new Map<string, string>();
  beforeAll(async () => {
    const { example } = running;
    admin = agentOf(example);
    await signInEnrolling(example, admin, 'alice');
    for (const name of ['bob', 'tom', 'uma', 'vic', 'wes', 'xia'])
      secrets.set(name, await enrolOptional(example, agentOf(example), name));
  });
  const secret = (name: string) => secrets.get(name) as string;

  it('the cookie is HttpOnly, SameSite=Lax, Path=/, lasts 30 days, and holds ≥ 128 random bits', async () => {
    const { example } = running;
    const { answer, cookie } = await signInTrusting(example, agentOf(example), 'bob', secret('bob'));
    expect(answer.body.trustedDevice).toMatchObject({ id: expect.any(String) });
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=2592000/);
    // On http://127.0.0.1 the example turns Secure off (development only; see the secure instance below).
    expect(cookie).not.toMatch(/; Secure/);
    expect(tokenOf(cookie)).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    // The store holds a keyed hash, never the token.
    const keys = await example.redis.keys(`${example.mfaPrefix}*devices`);
    const stored = JSON.stringify(await Promise.all(keys.map((k) => example.redis.hgetall(k))));
    expect(stored).not.toContain(tokenOf(cookie).split('.')[1]);
  });

  it('within its validity a password sign-in skips the second factor, in a new session, recorded', async () => {
    const { example } = running;
    const browser = agentOf(example);
    const { cookie } = await signInTrusting(example, browser, 'tom', secret('tom'));
    expect(cookie).not.toBeNull();
    const signedIn = sessionOf(browser, example);
    expect(signedIn).not.toBe('');
    example.clock.advance(29 * DAY);
    // A password step on the signed-in browser: the skip still gives a new session id.
    const again = await login(example, browser, 'tom');
    expect(again.body).toMatchObject({ status: 'signed-in', trustedDevice: true });
    const rotated = sessionOf(browser, example);
    expect(rotated).not.toBe('');
    expect(rotated).not.toBe(signedIn);
    const status = await browser.get('/api/mfa/status');
    expect(status.status).toBe(200);
    // The trusted sign-in counts as MFA but is no fresh proof for changing factors.
    expect(status.body.session).toMatchObject({ factor: 'totp', verifiedAt: null });
    expect((await postFrom(example, browser, '/api/mfa/totp/enrol')).body.error?.code).toBe('MFA_REQUIRED');
    expect(await eventsOf(example, 'u3', 'TRUSTED_DEVICE_USED')).toHaveLength(1);
  });

  it("another user's token is refused at my sign-in, and the answer is the same as with no token", async () => {
    const { example } = running;
    const { cookie } = await signInTrusting(example, agentOf(example), 'uma', secret('uma'));
    const umaToken = tokenOf(cookie);
    expect((await loginWithToken(example, 'uma', umaToken)).body.status).toBe('signed-in');
    const withToken = await loginWithToken(example, 'vic', umaToken);
    const without = await login(example, agentOf(example), 'vic');
    expect(withToken.body.status).toBe('challenge');
    expect(Object.keys(withToken.body).sort()).toEqual(Object.keys(without.body).sort());
    expect(trustCookie(withToken.headers['set-cookie'])).toBeNull();
    expect((await eventsOf(example, 'u5', 'TRUSTED_DEVICE_REFUSED')).at(0)?.details).toEqual({
      deviceId: null,
      reason: 'unknown',
    });
  });

  it('a tampered token (id or secret changed) is refused', async () => {
    const { example } = running;
    const { cookie } = await signInTrusting(example, agentOf(example), 'vic', secret('vic'));
    const token = tokenOf(cookie);
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    for (const tampered of [
      flip(token, 3),
      flip(token, token.length - 5),
      `${token}x`,
      token.split('.')[0] ?? '',
    ])
      expect((await loginWithToken(example, 'vic', tampered)).body.status).toBe('challenge');
    expect((await loginWithToken(example, 'vic', token)).body.status).toBe('signed-in');
  });

  it('"sign out everywhere" ends the trust', async () => {
    const { example } = running;
    const browser = agentOf(example);
    const { cookie } = await signInTrusting(example, browser, 'wes', secret('wes'));
    expect((await postFrom(example, browser, '/api/mfa/sign-out-everywhere')).status).toBe(200);
    expect((await loginWithToken(example, 'wes', tokenOf(cookie))).body.status).toBe('challenge');
  });

  it('revocation by the user (this browser: its cookie is cleared too) and by an admin ends the trust', async () => {
    const { example } = running;
    const browser = agentOf(example);
    const first = tokenOf((await signInTrusting(example, browser, 'xia', secret('xia'))).cookie);
    const second = tokenOf((await signInTrusting(example, agentOf(example), 'xia', secret('xia'))).cookie);
    const listed = await browser.get('/api/mfa/trusted-devices');
    expect(listed.body.devices).toHaveLength(2);
    const mine = listed.body.devices.find((d: { current: boolean }) => d.current);
    expect(mine.id).toBe(first.split('.')[0]);
    const revoked = await browser
      .delete(`/api/mfa/trusted-devices/${mine.id}`)
      .set('Origin', example.baseUrl);
    expect(revoked.status).toBe(200);
    expect(trustCookie(revoked.headers['set-cookie'])).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await loginWithToken(example, 'xia', first)).body.status).toBe('challenge');
    expect((await loginWithToken(example, 'xia', second)).body.status).toBe('signed-in');
    // Another user's device id can't be revoked through my session.
    expect(
      (await browser.delete(`/api/mfa/trusted-devices/${first.split('.')[0]}`).set('Origin', example.baseUrl))
        .status,
    ).toBe(404);

    // The example's admin page lists it (org-scoped, like the users screen).
    const page = await admin.get('/admin/users/xia/devices');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-device="${second.split('.')[0]}"`);
    const byAdmin = await admin.get('/api/admin/mfa/users/u7/trusted-devices');
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.devices.map((d: { id: string }) => d.id)).toEqual([second.split('.')[0]]);
    expect(JSON.stringify(byAdmin.body)).not.toMatch(/secretHash/);
    const adminRevoke = await postFrom(
      example,
      admin,
      `/api/admin/mfa/users/u7/trusted-devices/${second.split('.')[0]}/revoke`,
      {
        reason: 'lost laptop',
      },
    );
    expect(adminRevoke.status).toBe(200);
    expect((await loginWithToken(example, 'xia', second)).body.status).toBe('challenge');
    expect(
      (await eventsOf(example, 'u7', 'TRUSTED_DEVICE_REVOKED')).map((e) => e.actor?.kind).sort(),
    ).toEqual(['admin', 'user']);
  });

  it('an admin lock (even once lifted) and an admin reset end the trust', async () => {
    const { example } = running;
    const locked = tokenOf((await signInTrusting(example, agentOf(example), 'bob', secret('bob'))).cookie);
    expect((await postFrom(example, admin, '/api/admin/mfa/users/u2/lock')).status).toBe(200);
    expect((await loginWithToken(example, 'bob', locked)).status).toBe(423);
    expect((await postFrom(example, admin, '/api/admin/mfa/users/u2/unlock')).status).toBe(200);
    expect((await loginWithToken(example, 'bob', locked)).body.status).toBe('challenge');

    const reset = tokenOf((await signInTrusting(example, agentOf(example), 'bob', secret('bob'))).cookie);
    expect((await postFrom(example, admin, '/api/admin/mfa/users/u2/reset')).status).toBe(200);
    // Bob sets MFA up again; the browser trusted before the reset still gets the challenge.
    secrets.set('bob', await enrolOptional(example, agentOf(example), 'bob'));
    expect((await loginWithToken(example, 'bob', reset)).body.status).toBe('challenge');
  });

  it('a role the policy forbids can neither trust a browser nor use one trusted before', async () => {
    const { example } = running;
    const token = tokenOf((await signInTrusting(example, agentOf(example), 'tom', secret('tom'))).cookie);
    const policy = await example.mfa.admin.getPolicy();
    await example.mfa.admin.setPolicy(
      { kind: 'admin', id: 'u1' },
      { ...policy, trustedDevices: { forbiddenRoles: ['user'] } },
    );
    try {
      expect((await loginWithToken(example, 'tom', token)).body.status).toBe('challenge');
      const refused = await signInTrusting(example, agentOf(example), 'tom', secret('tom'));
      expect(refused.answer.body).toMatchObject({
        status: 'signed-in',
        trustedDevice: null,
        trustRefused: 'POLICY_FORBIDS',
      });
      expect(refused.cookie).toBeNull();
    } finally {
      await example.mfa.admin.setPolicy({ kind: 'admin', id: 'u1' }, policy);
    }
  });

  it('an expired token is refused (the app clock moved past 30 days)', async () => {
    const { example } = running;
    const token = tokenOf((await signInTrusting(example, agentOf(example), 'uma', secret('uma'))).cookie);
    example.clock.advance(30 * DAY - 60_000);
    expect((await loginWithToken(example, 'uma', token)).body.status).toBe('signed-in');
    example.clock.advance(60_000);
    expect((await loginWithToken(example, 'uma', token)).body.status).toBe('challenge');
    expect((await eventsOf(example, 'u4', 'TRUSTED_DEVICE_REFUSED')).at(0)?.details).toEqual({
      deviceId: expect.any(String),
      reason: 'expired',
    });
  });
});

describe('trusted devices with the default cookie options', () => {
  it('the cookie is Secure with the __Host- prefix, HttpOnly, SameSite=Lax, no Domain', async () => {
    const t = createTestApp();
    try {
      const { secret: secretText } = await enrolTotp(t, request.agent(t.app), 'alice');
      t.clock.advance(30_000);
      const agent = request.agent(t.app);
      expect((await testLogin(t, agent, 'alice')).body.status).toBe('challenge');
      const answer = await post(agent, '/mfa/sign-in/totp', {
        code: totp(secretText, t.clock.now()),
        trustDevice: true,
      });
      expect(answer.status).toBe(200);
      const cookie = (answer.headers['set-cookie'] as unknown as string[]).find((c) =>
        c.startsWith('__Host-mfa-trusted='),
      );
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Domain=/);
    } finally {
      await t.close();
    }
  });
});

describe('trusted devices on Redis Cluster', () => {
  it('skip and revocation work with the device hash in the user slot', async () => {
    const example = await startExampleOnRedis({ users: USERS, cluster: true });
    try {
      const secretText = await enrolOptional(example, agentOf(example), 'bob');
      const browser = agentOf(example);
      const token = tokenOf((await signInTrusting(example, browser, 'bob', secretText)).cookie);
      expect((await loginWithToken(example, 'bob', token)).body.status).toBe('signed-in');
      const [device] = (await browser.get('/api/mfa/trusted-devices')).body.devices;
      expect(
        (await browser.delete(`/api/mfa/trusted-devices/${device.id}`).set('Origin', example.baseUrl)).status,
      ).toBe(200);
      expect((await loginWithToken(example, 'bob', token)).body.status).toBe('challenge');
    } finally {
      await example.close();
    }
  });
});
