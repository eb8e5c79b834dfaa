// Issue 6: the admin router's user actions against real Redis and real
// sessions — reset (sessions revoked, enrolment forced), self-reset refused,
// lock / unlock (seed 004 "contact your administrator"), the 1-hour SMS setup
// cooldown reset, CSRF and input validation.
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, ORIGIN, type TestUser, createAdminTestApp } from './admin-app.js';

let t: AdminTestApp;
let admin: supertest.Agent;
let adminUser: TestUser;
let seq = 0;

/** A fresh org-a user per test so tests never share state. */
function newUser(roles: string[] = ['staff']): TestUser {
  seq += 1;
  return t.addUser({ id: `user-${seq}`, orgId: 'org-a', roles });
}

beforeAll(async () => {
  t = await createAdminTestApp({ policy: { requiredRoles: ['admin'] } });
  adminUser = t.addUser({ id: 'admin-a', orgId: 'org-a', roles: ['admin'] });
  const secret = await t.enrolTotp(adminUser);
  admin = await t.signIn(adminUser, secret);
});

afterAll(async () => {
  await t?.close();
});

describe('reset', () => {
  it('removes the factors, rejects the live session at its next request, and audits actor and reason', async () => {
    const user = newUser(['admin']);
    const secret = await t.enrolTotp(user);
    const victim = await t.signIn(user, secret);
    expect((await victim.get('/app/me')).status).toBe(200);

    const res = await admin
      .post(`/admin/mfa/users/${user.id}/reset`)
      .send({ reason: 'lost phone (ticket 42)' });
    expect(res.status).toBe(200);
    expect(res.body.user.mfa).toMatchObject({ enrolled: false, factors: [], recoveryCodesRemaining: 0 });

    const next = await victim.get('/app/me');
    expect(next.status).toBe(401);
    expect(next.body.error.code).toBe('UNAUTHENTICATED');

    // MFA is required for admins: the next sign-in goes straight to enrolment (seed 000).
    const login = await supertest
      .agent(t.app)
      .set('Origin', ORIGIN)
      .post('/login')
      .send({ username: user.id, password: `pw-${user.id}` });
    expect(login.body.status).toBe('enrol');

    const [event] = (await t.eventsOf(user.id)).filter((e) => e.type === 'ADMIN_RESET');
    expect(event).toMatchObject({
      actor: { kind: 'admin', id: 'admin-a' },
      userId: user.id,
      details: { reason: 'lost phone (ticket 42)' },
    });
  });

  it('refuses an admin resetting their own MFA and changes nothing', async () => {
    const res = await admin.post(`/admin/mfa/users/${adminUser.id}/reset`).send({ reason: 'me' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    const status = await t.mfa.status({ id: adminUser.id, orgId: 'org-a', roles: ['admin'] });
    expect(status.totp).not.toBeNull();
    expect((await admin.get('/app/me')).status).toBe(200);
    expect((await t.eventsOf(adminUser.id)).some((e) => e.type === 'ADMIN_RESET')).toBe(false);
  });

  it('refuses cross-site and origin-less requests (CSRF) without touching the user', async () => {
    const user = newUser();
    await t.enrolTotp(user);
    const cookieJar = admin; // the admin's cookies, but a foreign page's Origin
    const evil = await cookieJar
      .post(`/admin/mfa/users/${user.id}/reset`)
      .set('Origin', 'https://evil.example')
      .send({});
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('FORBIDDEN');
    const nullOrigin = await cookieJar
      .post(`/admin/mfa/users/${user.id}/reset`)
      .set('Origin', 'null')
      .send({});
    expect(nullOrigin.status).toBe(403);
    expect((await t.mfa.status({ id: user.id })).totp).not.toBeNull();
  });

  it('does not parse bodies for callers the guard refuses', async () => {
    const res = await supertest(t.app)
      .post('/admin/mfa/users/anyone/reset')
      .set('Origin', ORIGIN)
      .set('Content-Type', 'application/json')
      .send('{"reason": ');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    const malformed = await admin
      .post(`/admin/mfa/users/${adminUser.id}/lock`)
      .set('Content-Type', 'application/json')
      .send('{"reason": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION');
  });

  it('answers 404 for an unknown user, the same as for a user of another organisation', async () => {
    const outsider = t.addUser({ id: 'outsider-b', orgId: 'org-b', roles: ['staff'] });
    await t.enrolTotp(outsider);
    const missing = await admin.post('/admin/mfa/users/nobody-here/reset').send({});
    const foreign = await admin.post(`/admin/mfa/users/${outsider.id}/reset`).send({});
    expect(missing.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    expect((await t.mfa.status({ id: outsider.id })).totp).not.toBeNull();
  });
});

describe('lock and unlock', () => {
  it('a locked user cannot sign in and is told to contact their administrator; after unlock they can', async () => {
    const user = newUser();
    expect((await admin.post(`/admin/mfa/users/${user.id}/lock`).send({ reason: 'suspicious' })).status).toBe(
      200,
    );

    const refused = await supertest(t.app)
      .post('/login')
      .set('Origin', ORIGIN)
      .send({ username: user.id, password: `pw-${user.id}` });
    expect(refused.status).toBe(423);
    expect(refused.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(refused.body.error.message).toMatch(/contact your administrator/i);

    const detail = await admin.get(`/admin/mfa/users/${user.id}`);
    expect(detail.body.user.mfa.locked).toBe(true);
    const lockEvent = detail.body.events.find((e: { type: string }) => e.type === 'ADMIN_LOCK');
    expect(lockEvent).toMatchObject({
      actor: { kind: 'admin', id: 'admin-a' },
      details: { reason: 'suspicious' },
    });

    expect((await admin.post(`/admin/mfa/users/${user.id}/unlock`).send({})).status).toBe(200);
    const agent = await t.signIn(user);
    expect((await agent.get('/app/me')).status).toBe(200);
  });

  it('unlock lifts a lock from failed sign-ins and clears the failure counters', async () => {
    const user = newUser();
    const login = (password: string) =>
      supertest(t.app).post('/login').set('Origin', ORIGIN).send({ username: user.id, password });
    let last = await login('wrong');
    // Cooldowns interrupt the run of failures; step past them until the account locks.
    for (let i = 0; i < 40 && last.status !== 423; i += 1) {
      if (last.status === 429) t.advance(301_000);
      last = await login('wrong');
    }
    expect(last.status).toBe(423);
    expect((await login(`pw-${user.id}`)).status).toBe(423);

    const unlocked = await admin
      .post(`/admin/mfa/users/${user.id}/unlock`)
      .send({ reason: 'called the help desk' });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.user.mfa).toMatchObject({
      locked: false,
      consecutiveFailures: 0,
      cooldownUntil: null,
    });
    expect((await login(`pw-${user.id}`)).body.status).toBe('signed-in');
  });

  it('refuses locking yourself', async () => {
    const res = await admin.post(`/admin/mfa/users/${adminUser.id}/lock`).send({});
    expect(res.status).toBe(403);
    expect((await admin.get('/app/me')).status).toBe(200);
  });
});

describe('reset cooldowns', () => {
  it('resetting the 1-hour SMS setup cooldown lets the user enrol a phone at once', async () => {
    const user = newUser();
    const agent = await t.signIn(user);
    const phone = '+14155550142';
    expect((await agent.post('/mfa/sms/enrol').send({ phone })).status).toBe(200);
    let res = await agent.post('/mfa/sms/confirm').send({ code: '000000' });
    for (let i = 0; i < 10 && res.status !== 429; i += 1) {
      res = await agent.post('/mfa/sms/confirm').send({ code: '000000' });
    }
    expect(res.status).toBe(429);
    t.advance(61_000); // past the resend cooldown, far inside the 1-hour setup cooldown
    const blocked = await agent.post('/mfa/sms/enrol').send({ phone });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('COOLDOWN');
    expect(blocked.body.error.retryAfter).toBeGreaterThan(50 * 60);

    const detail = await admin.get(`/admin/mfa/users/${user.id}`);
    expect(detail.body.user.mfa.cooldowns['sms-setup']).toBeGreaterThan(t.now());

    const reset = await admin
      .post(`/admin/mfa/users/${user.id}/reset-cooldowns`)
      .send({ which: 'sms-setup', reason: 'user on the phone' });
    expect(reset.status).toBe(200);
    expect(reset.body.user.mfa.cooldowns['sms-setup']).toBeUndefined();

    const sent = await agent.post('/mfa/sms/enrol').send({ phone });
    expect(sent.status).toBe(200);
    const code = /\b(\d{6})\b/.exec(t.sms.at(-1)?.body ?? '')?.[1];
    const confirmed = await agent.post('/mfa/sms/confirm').send({ code });
    expect(confirmed.status).toBe(200);
    expect((await t.mfa.status({ id: user.id })).sms).not.toBeNull();
    const [event] = (await t.eventsOf(user.id)).filter((e) => e.type === 'ADMIN_COOLDOWN_RESET');
    expect(event).toMatchObject({ actor: { id: 'admin-a' }, details: { which: 'sms-setup' } });
  });

  it('rejects bad input with VALIDATION and the offending fields', async () => {
    const user = newUser();
    const bad = await admin.post(`/admin/mfa/users/${user.id}/reset-cooldowns`).send({ which: 'everything' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect(Object.keys(bad.body.error.fields)).toEqual(['which']);
    const long = await admin.post(`/admin/mfa/users/${user.id}/reset`).send({ reason: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(Object.keys(long.body.error.fields)).toEqual(['reason']);
    const extra = await admin.post(`/admin/mfa/users/${user.id}/lock`).send({ reason: 'r', admin: true });
    expect(extra.status).toBe(400);
    expect((await t.mfa.status({ id: user.id })).limiter.locked).toBe(false);
  });
});

describe('users list and capabilities', () => {
  it('lists only the admin’s organisation, with MFA status, page by page', async () => {
    for (let i = 0; i < 3; i += 1) newUser();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2' };
      if (cursor !== null) query['cursor'] = cursor;
      const res = await admin.get('/admin/mfa/users').query(query);
      expect(res.status).toBe(200);
      expect(res.body.users.length).toBeLessThanOrEqual(2);
      for (const row of res.body.users) {
        expect(row.orgId).toBe('org-a');
        expect(row.mfa).toHaveProperty('locked');
        expect(row.mfa).toHaveProperty('recoveryCodesRemaining');
        seen.push(row.id);
      }
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    const expected = [...t.users.values()].filter((u) => u.orgId === 'org-a').map((u) => u.id);
    expect(seen.sort()).toEqual(expected.sort());
    const admins = await admin.get('/admin/mfa/users').query({ q: 'admin-a' });
    expect(admins.body.users.map((u: { id: string }) => u.id)).toEqual(['admin-a']);
    expect(admins.body.users[0].mfa).toMatchObject({ enrolled: true, factors: ['totp'] });
  });

  it('reports the caller’s privileges so a UI can disable actions (seed 000)', async () => {
    const res = await admin.get('/admin/mfa/me/capabilities');
    expect(res.body).toMatchObject({
      userId: 'admin-a',
      privileges: ['mfa:read', 'mfa:reset', 'mfa:lock', 'mfa:logs', 'mfa:policy', 'mfa:roles'],
      actions: { 'mfa:roles': true },
      allOrgs: false,
    });
    const staff = await t.signIn(newUser());
    const none = await staff.get('/admin/mfa/me/capabilities');
    expect(none.body.privileges).toEqual([]);
    expect(none.body.actions['mfa:reset']).toBe(false);
  });
});

describe('clear an address (issue 10: the per-address second-factor budget)', () => {
  it('an instance-wide admin clears an address over HTTP (IPv6 by its /64), audited; an org admin may not', async () => {
    const refused = await admin
      .post('/admin/mfa/addresses/clear')
      .set('Origin', ORIGIN)
      .send({ address: '2001:db8:7:7::1' });
    expect(refused.status).toBe(403);

    const root = t.addUser({ id: 'root-admin', orgId: null, roles: ['admin'] });
    const rootAgent = await t.signIn(root, await t.enrolTotp(root));
    const cleared = await rootAgent
      .post('/admin/mfa/addresses/clear')
      .set('Origin', ORIGIN)
      .send({ address: '2001:db8:7:7:abcd::9', reason: 'office NAT' });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ ok: true, address: '2001:db8:7:7:0:0:0:0/64' });
    const events = await t.mfa.events.query({ types: ['ADMIN_ADDRESS_CLEARED'] });
    expect(events.events[0]).toMatchObject({
      actor: { kind: 'admin', id: 'root-admin' },
      details: { address: '2001:db8:7:7:0:0:0:0/64', reason: 'office NAT' },
    });
    const invalid = await rootAgent.post('/admin/mfa/addresses/clear').set('Origin', ORIGIN).send({});
    expect(invalid.status).toBe(400);
  });
});
