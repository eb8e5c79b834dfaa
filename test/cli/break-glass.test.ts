// Issue 6: the real mfa-kit binary against the Redis of a running app (same
// key prefix, same connect-redis session prefix). Seed 003: the chief operator
// lost their MFA device and no other admin can reset it; seed 000: every admin
// is locked out. Both are recovered from the command line, and every action is
// audited with actor `cli` and the operating-system user.
import { userInfo } from 'node:os';
import type { MfaEvent, UserMfaStatus } from '@mfa-kit/core';
import { DEFAULT_POLICY_CACHE_MS } from '@mfa-kit/core/redis';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, ORIGIN, type TestUser, createAdminTestApp } from '../admin/admin-app.js';
import { redisUrl } from '../harness/index.js';
import { type CliRun, prepareCli, runCli } from './cli-binary.js';

let t: AdminTestApp;
let cliPath: string;
let seq = 0;

beforeAll(async () => {
  cliPath = (await prepareCli()).path;
  t = await createAdminTestApp({ policy: { requiredRoles: ['admin'] } });
});

afterAll(async () => {
  await t?.close();
});

/** Runs the binary on the app's Redis; the URL comes from REDIS_URL like an operator's shell. */
function cli(...args: string[]): Promise<CliRun> {
  // No session prefix, no session index: the CLI ends sessions through the epoch alone.
  return runCli(cliPath, [...args, '--prefix', t.prefix], {
    env: { REDIS_URL: redisUrl() },
  });
}

function newUser(roles: string[], orgId = 'org-a'): TestUser {
  seq += 1;
  return t.addUser({ id: `${roles[0]}-${seq}`, orgId, roles });
}

const post = (path: string, body: object) => supertest(t.app).post(path).set('Origin', ORIGIN).send(body);

/** Locks `user` the way an attacker or a forgetful admin would: failed passwords until the lock. */
async function lockByFailures(user: TestUser): Promise<void> {
  let last = await post('/login', { username: user.id, password: 'wrong' });
  for (let i = 0; i < 40 && last.status !== 423; i += 1) {
    if (last.status === 429) t.advance(301_000);
    last = await post('/login', { username: user.id, password: 'wrong' });
  }
  expect(last.status).toBe(423);
}

const osUser = userInfo().username;

describe('mfa-kit break-glass CLI', () => {
  it('status shows factors and lock state, as text and as JSON', async () => {
    const user = newUser(['staff']);
    await t.enrolTotp(user);
    const text = await cli('status', user.id);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Enrolled\s+yes: authenticator app/m);
    expect(text.stdout).toMatch(/^Recovery codes\s+10 left/m);
    expect(text.stdout).toMatch(/^Locked\s+no/m);
    const json = await cli('status', user.id, '--json');
    const status = JSON.parse(json.stdout) as UserMfaStatus;
    expect(status).toMatchObject({ userId: user.id, enrolled: true, recoveryCodesRemaining: 10 });
    expect(status.totp).not.toBeNull();
  });

  it('seed 003: the chief operator lost their device; CLI reset, then they enrol again and administer', async () => {
    const chief = newUser(['admin']);
    const secret = await t.enrolTotp(chief);
    const liveSession = await t.signIn(chief, secret);
    expect((await liveSession.get('/admin/mfa/me/capabilities')).status).toBe(200);

    // Without --yes on a non-terminal nothing happens.
    const refused = await cli('reset', chief.id);
    expect(refused.code).toBe(2);
    expect((await t.mfa.status({ id: chief.id })).totp).not.toBeNull();

    const reset = await cli('reset', chief.id, '--yes', '--reason', 'support ticket 7: lost phone');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`MFA reset for ${chief.id}`);
    expect((await t.mfa.status({ id: chief.id })).enrolled).toBe(false);
    // The session store entry is gone: the old session is refused at its next request.
    expect((await liveSession.get('/app/me')).status).toBe(401);

    // Next sign-in: forced enrolment (admins must use MFA), with a new device.
    const agent = supertest.agent(t.app).set('Origin', ORIGIN);
    const login = await agent.post('/login').send({ username: chief.id, password: `pw-${chief.id}` });
    expect(login.body.status).toBe('enrol');
    const enrol = await agent.post('/mfa/totp/enrol').send({});
    expect(enrol.status).toBe(200);
    const confirmed = await agent.post('/mfa/totp/confirm').send({ code: t.totp(enrol.body.secret) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('signed-in');
    const users = await agent.get('/admin/mfa/users');
    expect(users.status).toBe(200);

    const [event] = (await t.eventsOf(chief.id)).filter((e) => e.type === 'ADMIN_RESET');
    expect(event).toMatchObject({
      actor: { kind: 'cli', id: 'cli', osUser },
      details: { reason: 'support ticket 7: lost phone' },
    });
  });

  it('seed 000: every admin is locked out; CLI unlock lets them sign in with their factor again', async () => {
    const admins = [newUser(['admin']), newUser(['admin'])];
    const secrets = await Promise.all(admins.map((a) => t.enrolTotp(a)));
    for (const admin of admins) await lockByFailures(admin);
    for (const admin of admins) {
      expect((await post('/login', { username: admin.id, password: `pw-${admin.id}` })).status).toBe(423);
    }
    const status = await cli('status', admins[0]!.id);
    expect(status.stdout).toMatch(/^Locked\s+YES/m);

    const unlocked = await cli('unlock', admins[0]!.id, '--yes', '--reason', 'all admins locked out');
    expect(unlocked.code).toBe(0);
    const first = await t.signIn(admins[0]!, secrets[0]);
    expect((await first.get('/admin/mfa/users')).status).toBe(200);
    // The unlocked admin can now unlock the others through the admin router.
    expect((await first.post(`/admin/mfa/users/${admins[1]!.id}/unlock`).send({})).status).toBe(200);
    await t.signIn(admins[1]!, secrets[1]);
    const [event] = (await t.eventsOf(admins[0]!.id)).filter((e) => e.type === 'ADMIN_UNLOCK');
    expect(event?.actor).toEqual({ kind: 'cli', id: 'cli', osUser });
    expect((await t.mfa.status({ id: admins[0]!.id })).limiter.consecutiveFailures).toBe(0);
  });

  it('lock --yes keeps the user out ("contact your administrator") until unlock', async () => {
    const user = newUser(['staff']);
    const live = await t.signIn(user);
    expect((await live.get('/app/me')).status).toBe(200);
    // A user mfa-kit has no record of needs --force (see the no-such-user test).
    const locked = await cli('lock', user.id, '--yes', '--json', '--force');
    expect(locked.code).toBe(0);
    expect(JSON.parse(locked.stdout)).toEqual({ ok: true, action: 'lock', userId: user.id });
    // The lock ended the live session too.
    expect((await live.get('/app/me')).status).toBe(401);
    const refused = await post('/login', { username: user.id, password: `pw-${user.id}` });
    expect(refused.status).toBe(423);
    expect(refused.body.error.message).toMatch(/contact your administrator/i);
    // An admin-placed lock is lifted from the CLI only on its break-glass path.
    const plain = await cli('unlock', user.id, '--yes');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/break-glass/);
    expect((await t.mfa.status({ id: user.id })).limiter.locked).toBe(true);
    expect((await cli('unlock', user.id, '--yes', '--break-glass')).code).toBe(0);
    const [unlockEvent] = (await t.eventsOf(user.id)).filter((e) => e.type === 'ADMIN_UNLOCK');
    expect(unlockEvent?.details).toMatchObject({ breakGlass: true });
    expect((await post('/login', { username: user.id, password: `pw-${user.id}` })).body.status).toBe(
      'signed-in',
    );
  });

  it('a mistyped user id gets "no such MFA user" (exit 1, nothing recorded) unless --force', async () => {
    for (const command of ['reset', 'lock', 'unlock']) {
      const run = await cli(command, 'no-such-user-42', '--yes');
      expect(run.code, command).toBe(1);
      expect(run.stderr, command).toMatch(/No such MFA user: "no-such-user-42"/);
      expect(run.stdout, command).toBe('');
    }
    expect(await t.eventsOf('no-such-user-42')).toEqual([]);
    const forced = await cli('reset', 'no-such-user-42', '--yes', '--force');
    expect(forced.code).toBe(0);
    expect((await t.eventsOf('no-such-user-42')).map((e) => e.type)).toEqual(['ADMIN_RESET']);
  });

  it('reset-cooldown clears the SMS setup cooldown', async () => {
    const user = newUser(['staff']);
    const agent = await t.signIn(user);
    await agent.post('/mfa/sms/enrol').send({ phone: '+14155550177' });
    let res = await agent.post('/mfa/sms/confirm').send({ code: '000000' });
    for (let i = 0; i < 10 && res.status !== 429; i += 1)
      res = await agent.post('/mfa/sms/confirm').send({ code: '000000' });
    expect(res.status).toBe(429);
    t.advance(61_000);
    expect((await agent.post('/mfa/sms/enrol').send({ phone: '+14155550177' })).status).toBe(429);
    const run = await cli('reset-cooldown', user.id, '--which', 'sms-setup');
    expect(run.code).toBe(0);
    expect((await agent.post('/mfa/sms/enrol').send({ phone: '+14155550177' })).status).toBe(200);
  });

  it('events filters by type and user, newest first, as JSON and text', async () => {
    const user = newUser(['staff']);
    await cli('lock', user.id, '--yes', '--force', '--reason', 'first');
    await cli('unlock', user.id, '--yes', '--break-glass', '--reason', 'second');
    const json = await cli('events', '--user', user.id, '--type', 'ADMIN_LOCK,ADMIN_UNLOCK', '--json');
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout) as { events: MfaEvent[] };
    expect(page.events.map((e) => e.type)).toEqual(['ADMIN_UNLOCK', 'ADMIN_LOCK']);
    expect(page.events.every((e) => e.userId === user.id && e.actor?.kind === 'cli')).toBe(true);

    const text = await cli('events', '--user', user.id, '--type', 'ADMIN_LOCK');
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`ADMIN_LOCK\\s+user=${user.id}\\s+actor=cli:cli\\(${osUser}\\)`));

    const future = await cli('events', '--user', user.id, '--since', '2999-01-01T00:00:00Z');
    expect(future.stdout.trim()).toBe('No events.');

    const paged = await cli('events', '--user', user.id, '--limit', '1');
    expect(paged.stderr).toMatch(/More events: add --cursor \S+/);
    const cursor = /--cursor (\S+)/.exec(paged.stderr)?.[1] ?? '';
    const next = await cli('events', '--user', user.id, '--limit', '1', '--cursor', cursor, '--json');
    const second = JSON.parse(next.stdout) as { events: MfaEvent[] };
    expect(second.events).toHaveLength(1);
    expect(paged.stdout).not.toContain(second.events[0]!.id);
  });

  it('policy shows and edits the policy; the change applies to sign-ins within the policy cache bound (seed 003 alternative)', async () => {
    // The app configured `requiredRoles: ['admin']` in createMfa and never saved a policy.
    const shown = await cli('policy');
    expect(shown.stdout).toMatch(/^No policy saved/);
    expect(JSON.parse((await cli('policy', '--json')).stdout)).toBeNull();

    const admin = newUser(['admin']);
    // No factor: MFA is required for admins, so sign-in forces enrolment.
    expect((await post('/login', { username: admin.id, password: `pw-${admin.id}` })).body.status).toBe(
      'enrol',
    );

    // Editing an invisible default is refused unless the operator says what to start from.
    const blind = await cli('policy', 'set', '--no-require-role', 'admin', '--yes');
    expect(blind.code).toBe(2);
    expect(blind.stderr).toMatch(/--from-builtin/);
    expect(await t.redis.exists(`${t.prefix}policy`)).toBe(0);

    const set = await cli(
      'policy',
      'set',
      '--from-builtin',
      '--no-require-role',
      'admin',
      '--self-unlock',
      'on',
      '--yes',
      '--reason',
      'r',
    );
    expect(set.code).toBe(0);
    // The CLI is another process: the app's policy cache takes it within policyCacheMs (createRedisBackend).
    t.advance(DEFAULT_POLICY_CACHE_MS);
    const policy = JSON.parse((await cli('policy', '--json')).stdout);
    expect(policy).toMatchObject({ requiredRoles: [], allowSelfUnlock: true });
    expect((await post('/login', { username: admin.id, password: `pw-${admin.id}` })).body.status).toBe(
      'signed-in',
    );

    const back = await cli('policy', 'set', '--require-role', 'admin', '--self-unlock', 'off', '--yes');
    expect(back.code).toBe(0);
    t.advance(DEFAULT_POLICY_CACHE_MS);
    expect((await cli('policy')).stdout).toMatch(/^Required roles\s+admin/m);
    expect((await post('/login', { username: admin.id, password: `pw-${admin.id}` })).body.status).toBe(
      'enrol',
    );
    const [changed] = (await t.mfa.events.query({ types: ['POLICY_CHANGED'], limit: 1 })).events;
    expect(changed?.actor).toEqual({ kind: 'cli', id: 'cli', osUser });

    const bad = await cli('policy', 'set', '--rollout', 'orgs', '--yes');
    expect(bad.code).toBe(2);
  });
});
