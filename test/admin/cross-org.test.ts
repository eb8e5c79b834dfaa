// Issue 6: "Admins act only within their own organisation unless granted
// otherwise" — the `mfa:all-orgs` privilege widens an admin's scope to every
// organisation and to instance-wide policy fields; without it the same
// requests are 404 / 403.
import { ACTION_PRIVILEGES } from '@mfa-kit/express';
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, createAdminTestApp } from './admin-app.js';

let t: AdminTestApp;
let platform: supertest.Agent;
let orgAdmin: supertest.Agent;

beforeAll(async () => {
  t = await createAdminTestApp({
    privileges: { admin: [...ACTION_PRIVILEGES], platform: [...ACTION_PRIVILEGES, 'mfa:all-orgs'] },
    policy: { requiredRoles: ['admin', 'platform'] },
  });
  const p = t.addUser({ id: 'platform-1', orgId: 'org-hq', roles: ['platform'] });
  const a = t.addUser({ id: 'admin-a', orgId: 'org-a', roles: ['admin'] });
  platform = await t.signIn(p, await t.enrolTotp(p));
  orgAdmin = await t.signIn(a, await t.enrolTotp(a));
  for (const [id, orgId] of [
    ['ann', 'org-a'],
    ['ben', 'org-b'],
    ['cat', 'org-c'],
  ] as const) {
    const user = t.addUser({ id, orgId, roles: ['staff'] });
    await t.enrolTotp(user);
  }
});

afterAll(async () => {
  await t?.close();
});

describe('cross-organisation scope', () => {
  it('a platform admin lists every organisation; an organisation admin only theirs', async () => {
    const all = await platform.get('/admin/mfa/users');
    expect(all.body.users.map((u: { id: string }) => u.id).sort()).toEqual([
      'admin-a',
      'ann',
      'ben',
      'cat',
      'platform-1',
    ]);
    const mine = await orgAdmin.get('/admin/mfa/users');
    expect(mine.body.users.map((u: { id: string }) => u.id).sort()).toEqual(['admin-a', 'ann']);
    expect((await platform.get('/admin/mfa/me/capabilities')).body.allOrgs).toBe(true);
  });

  it('a platform admin resets a user of another organisation; the organisation admin gets 404', async () => {
    expect((await orgAdmin.post('/admin/mfa/users/ben/reset').send({})).status).toBe(404);
    expect((await t.mfa.status({ id: 'ben' })).enrolled).toBe(true);
    const res = await platform.post('/admin/mfa/users/ben/reset').send({ reason: 'org-b has no admin left' });
    expect(res.status).toBe(200);
    expect((await t.mfa.status({ id: 'ben' })).enrolled).toBe(false);
    const events = await platform.get('/admin/mfa/events').query({ types: 'ADMIN_RESET' });
    expect(events.body.events.map((e: { userId: string }) => e.userId)).toContain('ben');
    const scoped = await orgAdmin.get('/admin/mfa/events').query({ types: 'ADMIN_RESET' });
    expect(scoped.body.events.map((e: { userId: string }) => e.userId)).not.toContain('ben');
  });

  it('a platform admin changes instance-wide policy fields and sees every organisation', async () => {
    const current = (await platform.get('/admin/mfa/policy')).body;
    expect(current.instanceWide).toBe(true);
    const res = await platform
      .put('/admin/mfa/policy')
      .send({ ...current.policy, requiredRoles: ['admin', 'platform', 'staff'], requiredOrgs: ['org-c'] });
    expect(res.status).toBe(200);
    expect((await t.mfa.admin.getPolicy()).requiredRoles).toEqual(['admin', 'platform', 'staff']);
    expect((await orgAdmin.get('/admin/mfa/policy')).body.policy.requiredOrgs).toEqual([]);
    expect((await platform.get('/admin/mfa/policy')).body.policy.requiredOrgs).toEqual(['org-c']);
  });
});
