// Issue 6: every admin route × every kind of caller → exactly the expected
// status and error code, with real sessions (connect-redis on the run's
// Redis) created by mfa-kit's own sign-in. Refused calls must change nothing.
import type { ErrorCode } from '@mfa-kit/core';
import { ACTION_PRIVILEGES, type Privilege } from '@mfa-kit/express';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, ORIGIN, createAdminTestApp } from './admin-app.js';

type Method = 'get' | 'post' | 'put';
interface RouteCase {
  method: Method;
  path: string;
  /** Privilege needed; null → any signed-in caller. */
  privilege: Privilege | null;
  /** Whether the route acts on the target user (org scope → 404). */
  targetsUser: boolean;
  body?: unknown;
}

// Written out by hand (not imported from the router) so a change of a route's privilege fails here.
const ROUTES: RouteCase[] = [
  { method: 'get', path: '/me/capabilities', privilege: null, targetsUser: false },
  { method: 'get', path: '/users', privilege: 'mfa:read', targetsUser: false },
  { method: 'get', path: '/users/target-a', privilege: 'mfa:read', targetsUser: true },
  {
    method: 'post',
    path: '/users/target-a/reset',
    privilege: 'mfa:reset',
    targetsUser: true,
    body: { reason: 'matrix' },
  },
  { method: 'post', path: '/users/target-a/lock', privilege: 'mfa:lock', targetsUser: true, body: {} },
  { method: 'post', path: '/users/target-a/unlock', privilege: 'mfa:lock', targetsUser: true, body: {} },
  {
    method: 'post',
    path: '/users/target-a/reset-cooldowns',
    privilege: 'mfa:lock',
    targetsUser: true,
    body: { which: 'all' },
  },
  {
    method: 'put',
    path: '/users/target-a/roles',
    privilege: 'mfa:roles',
    targetsUser: true,
    body: { roles: ['staff'], reason: 'matrix: unchanged' },
  },
  { method: 'get', path: '/events', privilege: 'mfa:logs', targetsUser: false },
  { method: 'get', path: '/events.csv', privilege: 'mfa:logs', targetsUser: false },
  { method: 'get', path: '/policy', privilege: 'mfa:policy', targetsUser: false },
  { method: 'put', path: '/policy', privilege: 'mfa:policy', targetsUser: false, body: 'POLICY' },
];

type Expected = { status: 200 } | { status: 401 | 403 | 404; code: ErrorCode };

interface CallerCase {
  name: string;
  expect(route: RouteCase): Expected;
}

const ok: Expected = { status: 200 };
const forbidden: Expected = { status: 403, code: 'FORBIDDEN' };

const CALLERS: CallerCase[] = [
  { name: 'no session', expect: () => ({ status: 401, code: 'UNAUTHENTICATED' }) },
  { name: 'pending session', expect: () => ({ status: 401, code: 'UNAUTHENTICATED' }) },
  { name: 'user without privileges', expect: (r) => (r.privilege === null ? ok : forbidden) },
  ...ACTION_PRIVILEGES.map(
    (p): CallerCase => ({
      name: `admin with only ${p}`,
      expect: (r) => (r.privilege === null || r.privilege === p ? ok : forbidden),
    }),
  ),
  { name: 'full admin', expect: () => ok },
  {
    name: 'admin of another organisation',
    expect: (r) => (r.targetsUser ? { status: 404, code: 'NOT_FOUND' } : ok),
  },
  {
    name: 'admin without MFA in this session (policy requires it)',
    expect: () => ({ status: 403, code: 'MFA_REQUIRED' }),
  },
];

let t: AdminTestApp;
const agents = new Map<string, supertest.Agent | null>();
let policyBody: unknown;

beforeAll(async () => {
  t = await createAdminTestApp({
    privileges: {
      admin: [...ACTION_PRIVILEGES],
      ...Object.fromEntries(ACTION_PRIVILEGES.map((p) => [`only-${p}`, [p]])),
    },
    // Admins must use MFA; a long grace lets an admin without a factor sign in (and be refused by the router).
    policy: { requiredRoles: ['admin'], grace: { signIns: 1000 } },
  });
  t.addUser({ id: 'target-a', orgId: 'org-a', roles: ['staff'] });
  const adminA = t.addUser({ id: 'admin-a', orgId: 'org-a', roles: ['admin'] });
  const adminB = t.addUser({ id: 'admin-b', orgId: 'org-b', roles: ['admin'] });
  const plain = t.addUser({ id: 'plain-a', orgId: 'org-a', roles: ['staff'] });
  const pending = t.addUser({ id: 'pending-a', orgId: 'org-a', roles: ['staff'] });
  const noMfa = t.addUser({ id: 'admin-nomfa', orgId: 'org-a', roles: ['admin'] });
  const secretA = await t.enrolTotp(adminA);
  const secretB = await t.enrolTotp(adminB);
  await t.enrolTotp(pending);

  agents.set('no session', null);
  const pendingAgent = supertest.agent(t.app).set('Origin', ORIGIN);
  const login = await pendingAgent
    .post('/login')
    .send({ username: pending.id, password: `pw-${pending.id}` });
  expect(login.body.status).toBe('challenge');
  agents.set('pending session', pendingAgent);
  agents.set('user without privileges', await t.signIn(plain));
  for (const p of ACTION_PRIVILEGES) {
    const single = t.addUser({ id: `only-${p.replace(':', '-')}`, orgId: 'org-a', roles: [`only-${p}`] });
    agents.set(`admin with only ${p}`, await t.signIn(single));
  }
  agents.set('full admin', await t.signIn(adminA, secretA));
  agents.set('admin of another organisation', await t.signIn(adminB, secretB));
  agents.set('admin without MFA in this session (policy requires it)', await t.signIn(noMfa));

  const policy = await t.mfa.admin.getPolicy();
  policyBody = { ...policy, reason: 'matrix: unchanged' };
});

afterAll(async () => {
  await t?.close();
});

const cases = CALLERS.flatMap((caller) =>
  ROUTES.map((route) => ({ caller: caller.name, route, expected: caller.expect(route) })),
);

describe('admin router authorization matrix', () => {
  it('covers every route for every caller', () => {
    expect(cases).toHaveLength(ROUTES.length * CALLERS.length);
    expect(CALLERS.length).toBe(12);
  });

  it.each(cases)(
    '$caller: $route.method $route.path → $expected.status',
    async ({ caller, route, expected }) => {
      const agent = agents.get(caller) ?? supertest.agent(t.app).set('Origin', ORIGIN);
      const url = `/admin/mfa${route.path}`;
      const request = agent[route.method](url);
      const body = route.body === 'POLICY' ? policyBody : route.body;
      const res = await (body === undefined ? request : request.send(body as object));
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({
        status: expected.status,
        code: 'code' in expected ? expected.code : undefined,
      });
      if ('code' in expected) expect(Object.keys(res.body)).toEqual(['error']);
    },
  );

  it('refused callers left no admin action on the target', async () => {
    const actions = (await t.eventsOf('target-a')).filter((e) => e.type.startsWith('ADMIN_'));
    const actors = new Set(actions.map((e) => e.actor?.id));
    // Only the full admin and the single-privilege admins that hold the privilege acted.
    expect([...actors].sort()).toEqual(['admin-a', 'only-mfa-lock', 'only-mfa-reset']);
    for (const event of actions) {
      if (event.actor?.id === 'only-mfa-reset') expect(event.type).toBe('ADMIN_RESET');
      if (event.actor?.id === 'only-mfa-lock') expect(event.type).not.toBe('ADMIN_RESET');
      expect(event.actor?.kind).toBe('admin');
    }
  });
});
