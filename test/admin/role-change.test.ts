// Issue 12 / seed 003 "Your user role is changed to a new role that does not
// require MFA": PUT /users/:id/roles through the app's UserDirectory.setRoles,
// audited as ROLE_CHANGED, with the MFA requirement following at once in both
// directions; and the privilege-escalation attempts an admin could try with it.
import { ALL_PRIVILEGES, ACTION_PRIVILEGES } from '@mfa-kit/express';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, ORIGIN, type TestUser, createAdminTestApp } from './admin-app.js';

let t: AdminTestApp;
let admin: supertest.Agent;
let seq = 0;

function newUser(roles: string[], orgId = 'org-a'): TestUser {
  seq += 1;
  return t.addUser({ id: `role-user-${seq}`, orgId, roles });
}

async function login(user: TestUser) {
  return supertest
    .agent(t.app)
    .set('Origin', ORIGIN)
    .post('/login')
    .send({ username: user.id, password: `pw-${user.id}` });
}

beforeAll(async () => {
  t = await createAdminTestApp({
    privileges: { admin: [...ACTION_PRIVILEGES], owner: [...ALL_PRIVILEGES], support: ['mfa:read'] },
    policy: { requiredRoles: ['admin', 'owner'] },
  });
  const adminUser = t.addUser({ id: 'roles-admin', orgId: 'org-a', roles: ['admin'] });
  admin = await t.signIn(adminUser, await t.enrolTotp(adminUser));
});

afterAll(async () => {
  await t?.close();
});

describe('role change (seed 003)', () => {
  it('a user whose new role does not require MFA signs in without it; the change is audited with the actor', async () => {
    // Lost their device, MFA reset: their admin role forces enrolment at every sign-in.
    const user = newUser(['admin']);
    expect((await login(user)).body.status).toBe('enrol');

    const res = await admin
      .put(`/admin/mfa/users/${user.id}/roles`)
      .send({ roles: ['staff'], reason: 'no smart device (ticket 7)' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, roles: ['staff'] });
    expect(res.body.user.mfa.requirement).toMatchObject({ required: false });
    expect(t.users.get(user.id)?.roles).toEqual(['staff']);
    expect((await login(user)).body).toMatchObject({ status: 'signed-in' });

    const [event] = (await t.eventsOf(user.id)).filter((e) => e.type === 'ROLE_CHANGED');
    expect(event).toMatchObject({
      actor: { kind: 'admin', id: 'roles-admin' },
      orgId: 'org-a',
      details: { before: ['admin'], after: ['staff'], reason: 'no smart device (ticket 7)' },
    });
  });

  it('a signed-in user whose new role requires MFA is refused at the next request until they use it', async () => {
    const user = newUser(['staff']);
    const session = await t.signIn(user);
    expect((await session.get('/app/me')).status).toBe(200);

    expect((await admin.put(`/admin/mfa/users/${user.id}/roles`).send({ roles: ['admin'] })).status).toBe(
      200,
    );
    const next = await session.get('/app/me');
    expect(next.status).toBe(403);
    expect(next.body.error.code).toBe('MFA_REQUIRED');
    expect((await login(user)).body.status).toBe('enrol');
  });

  it('privilege escalation: an admin cannot grant a role with privileges they lack, nor touch a more privileged user', async () => {
    const user = newUser(['staff']);
    const grant = await admin.put(`/admin/mfa/users/${user.id}/roles`).send({ roles: ['owner'] });
    expect(grant.status).toBe(403);
    expect(grant.body.error.code).toBe('FORBIDDEN');
    expect(t.users.get(user.id)?.roles).toEqual(['staff']);

    const owner = newUser(['owner']);
    const demote = await admin.put(`/admin/mfa/users/${owner.id}/roles`).send({ roles: ['staff'] });
    expect(demote.status).toBe(403);
    expect(t.users.get(owner.id)?.roles).toEqual(['owner']);

    const self = await admin.put('/admin/mfa/users/roles-admin/roles').send({ roles: ['owner'] });
    expect(self.status).toBe(403);
    expect(t.users.get('roles-admin')?.roles).toEqual(['admin']);

    const elsewhere = newUser(['staff'], 'org-b');
    const cross = await admin.put(`/admin/mfa/users/${elsewhere.id}/roles`).send({ roles: ['support'] });
    expect(cross.status).toBe(404);
    expect(t.users.get(elsewhere.id)?.roles).toEqual(['staff']);

    for (const id of [user.id, owner.id, elsewhere.id, 'roles-admin']) {
      expect((await t.eventsOf(id)).filter((e) => e.type === 'ROLE_CHANGED')).toEqual([]);
    }
  });

  it('rejects a malformed role list with VALIDATION and changes nothing', async () => {
    const user = newUser(['staff']);
    for (const body of [{ roles: 'admin' }, { roles: [''] }, { roles: ['x'], extra: 1 }, {}]) {
      const res = await admin.put(`/admin/mfa/users/${user.id}/roles`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
    }
    expect(t.users.get(user.id)?.roles).toEqual(['staff']);
  });
});

describe('event-log search by what the admin sees (seed 004)', () => {
  it('finds a user’s events by display name and e-mail, never another organisation’s', async () => {
    const inA = t.addUser({
      id: 'u-search-a',
      orgId: 'org-a',
      roles: ['staff'],
      name: 'Frank Finder',
      email: 'frank.f@a.test',
    });
    const inB = t.addUser({
      id: 'u-search-b',
      orgId: 'org-b',
      roles: ['staff'],
      name: 'Frank Other',
      email: 'frank.o@b.test',
    });
    await admin.post(`/admin/mfa/users/${inA.id}/lock`).send({ reason: 'search test' });
    await t.mfa.admin.lock(
      { kind: 'admin', id: 'someone-b' },
      { id: inB.id, orgId: 'org-b', roles: ['staff'] },
    );

    for (const q of ['Frank Finder', 'frank.f@a.test', 'frank']) {
      const res = await admin.get('/admin/mfa/events').query({ q, types: 'ACCOUNT_LOCK' });
      expect(res.status).toBe(200);
      expect(res.body.events.map((e: { userId: string }) => e.userId)).toEqual([inA.id]);
      expect(res.body.events[0].summary).toBe('Locked by admin User roles-admin');
    }
    // The admin's own name finds the events they acted in.
    const byActor = await admin
      .get('/admin/mfa/events')
      .query({ q: 'User roles-admin', types: 'ADMIN_LOCK' });
    expect(byActor.body.events.map((e: { userId: string }) => e.userId)).toContain(inA.id);
    const csv = await admin.get('/admin/mfa/events.csv').query({ q: 'Frank', types: 'ACCOUNT_LOCK' });
    expect(csv.text).toContain(',Locked by admin User roles-admin\r\n');
    expect(csv.text).not.toContain(inB.id);
  });
});
