// Issue 6 / seed 004 "View MFA error logs": the event routes (search, dates,
// types, user, newest first, cursor pagination, organisation scope, CSV with
// formula-injection protection) and the policy routes (changes apply at the
// next request and sign-in; organisation admins can only touch their org).
import type { MfaEvent } from '@mfa-kit/core';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, ORIGIN, createAdminTestApp } from './admin-app.js';

let t: AdminTestApp;
let adminA: supertest.Agent;
let adminB: supertest.Agent;
const FORMULA_ID = '=HYPERLINK("http://evil","x")';
let startedAt = 0;

beforeAll(async () => {
  t = await createAdminTestApp({ policy: { requiredRoles: ['admin'] } });
  const a = t.addUser({ id: 'admin-a', orgId: 'org-a', roles: ['admin'] });
  const b = t.addUser({ id: 'admin-b', orgId: 'org-b', roles: ['admin'] });
  adminA = await t.signIn(a, await t.enrolTotp(a));
  adminB = await t.signIn(b, await t.enrolTotp(b));
  startedAt = t.now();
  // A history in org a: locks, cooldowns, SMS trouble, not-my-number; one user in org b.
  for (const id of ['alice', 'bob', 'carol']) t.addUser({ id, orgId: 'org-a', roles: ['staff'] });
  t.addUser({ id: 'dave', orgId: 'org-b', roles: ['staff'] });
  t.addUser({ id: FORMULA_ID, orgId: 'org-a', roles: ['staff'] });
  for (const [userId, orgId] of [
    ['alice', 'org-a'],
    ['bob', 'org-a'],
    ['dave', 'org-b'],
  ] as const) {
    t.advance(1_000);
    await t.mfa.events.record({
      type: 'PROVIDER_FAILURE',
      userId,
      orgId,
      details: { provider: 'twilio', providerCode: 500, message: 'Twilio returned 500, "retry"' },
    });
    t.advance(1_000);
    await t.mfa.events.record({
      type: 'NOT_MY_NUMBER',
      userId,
      orgId,
      details: { maskedPhone: '+1 ••• ••• 0142' },
    });
    t.advance(1_000);
    await t.mfa.events.record({
      type: 'SMS_FAILURE',
      userId,
      orgId,
      details: { provider: 'twilio', providerCode: 21610, message: 'unsubscribed' },
    });
  }
  t.advance(1_000);
  expect((await adminA.post('/admin/mfa/users/carol/lock').send({ reason: 'audit' })).status).toBe(200);
  t.advance(1_000);
  const formula = await adminA.post(`/admin/mfa/users/${encodeURIComponent(FORMULA_ID)}/lock`).send({
    reason: '@SUM(1+1), "quoted"\nnext line',
  });
  expect(formula.status).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

async function allPages(agent: supertest.Agent, query: Record<string, string>): Promise<MfaEvent[]> {
  const events: MfaEvent[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const res = await agent.get('/admin/mfa/events').query(cursor === null ? query : { ...query, cursor });
    expect(res.status).toBe(200);
    events.push(...res.body.events);
    cursor = res.body.nextCursor;
    if (cursor === null) return events;
  }
  throw new Error('pagination did not end');
}

describe('event log routes', () => {
  it('filters by type, newest first, and only inside the admin’s organisation', async () => {
    const res = await adminA
      .get('/admin/mfa/events')
      .query({ types: 'PROVIDER_FAILURE,NOT_MY_NUMBER,SMS_FAILURE,ACCOUNT_LOCK,COOLDOWN_ACTIVATED' });
    expect(res.status).toBe(200);
    const events: MfaEvent[] = res.body.events;
    expect(events.map((e) => e.userId)).not.toContain('dave');
    expect(new Set(events.map((e) => e.orgId))).toEqual(new Set(['org-a']));
    expect(events.filter((e) => e.type === 'PROVIDER_FAILURE').map((e) => e.userId)).toEqual([
      'bob',
      'alice',
    ]);
    expect(events.filter((e) => e.type === 'ACCOUNT_LOCK').map((e) => e.userId)).toEqual([
      FORMULA_ID,
      'carol',
    ]);
    const times = events.map((e) => e.time);
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const fromB = await adminB.get('/admin/mfa/events').query({ types: 'PROVIDER_FAILURE' });
    expect(fromB.body.events.map((e: MfaEvent) => e.userId)).toEqual(['dave']);
    // Asking for another organisation's user does not widen the scope.
    const probe = await adminB.get('/admin/mfa/events').query({ userId: 'alice' });
    expect(probe.body.events).toEqual([]);
  });

  it('pages with a cursor: every event once, none missing, newest first', async () => {
    const whole = await adminA.get('/admin/mfa/events').query({ limit: '500' });
    const paged = await allPages(adminA, { limit: '2' });
    expect(paged.map((e) => e.id)).toEqual(whole.body.events.map((e: MfaEvent) => e.id));
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    expect(paged.length).toBeGreaterThan(6);
  });

  it('filters by user, date range and text search', async () => {
    const alice = await adminA.get('/admin/mfa/events').query({ userId: 'alice' });
    expect(alice.body.events.map((e: MfaEvent) => e.type)).toEqual([
      'SMS_FAILURE',
      'NOT_MY_NUMBER',
      'PROVIDER_FAILURE',
    ]);

    const first = alice.body.events[2] as MfaEvent;
    const window = await adminA
      .get('/admin/mfa/events')
      .query({ since: new Date(first.time).toISOString(), until: String(first.time + 1_000) });
    expect(window.body.events.map((e: MfaEvent) => [e.userId, e.type])).toEqual([
      ['alice', 'NOT_MY_NUMBER'],
      ['alice', 'PROVIDER_FAILURE'],
    ]);

    const text = await adminA.get('/admin/mfa/events').query({ q: 'unsubscribed' });
    expect(text.body.events.map((e: MfaEvent) => e.userId).sort()).toEqual(['alice', 'bob']);
  });

  it('rejects bad filters with VALIDATION fields', async () => {
    const res = await adminA
      .get('/admin/mfa/events')
      .query({ types: 'NOPE', since: 'yesterday', limit: '0' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['limit', 'since', 'types.0']);
    const reversed = await adminA
      .get('/admin/mfa/events')
      .query({ since: '2026-03-02', until: '2026-03-01' });
    expect(reversed.status).toBe(400);
  });

  it('exports CSV with RFC 4180 quoting and neutralised formulas, same filters and scope', async () => {
    const res = await adminA.get('/admin/mfa/events.csv').query({ types: 'ADMIN_LOCK' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('attachment');
    const text = res.text;
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'id,time,type,userId,orgId,actorKind,actorId,actorOsUser,ip,userAgent,details,summary',
    );
    // Two ADMIN_LOCK events in org a; the formula user's row comes first (newest).
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    // The reason (with a comma, quotes and a newline) stays inside one quoted details cell.
    expect(text).toContain('"{""reason"":""@SUM(1+1), \\""quoted\\""\\nnext line""}"');
    expect(text).toContain(',carol,org-a,admin,admin-a,');
    expect(text).not.toContain('dave');
    const csvFromB = await adminB.get('/admin/mfa/events.csv');
    expect(csvFromB.text).not.toContain('alice');
    expect(csvFromB.text).toContain('dave');
  });

  it('keeps every event after the test began in the unfiltered log', async () => {
    const events = await allPages(adminA, { since: String(startedAt) });
    expect(events.filter((e) => e.type === 'ADMIN_LOCK')).toHaveLength(2);
  });
});

describe('policy routes', () => {
  it('a policy change applies at the user’s next request and next sign-in', async () => {
    const erin = t.addUser({ id: 'erin', orgId: 'org-a', roles: ['warehouse'] });
    const session = await t.signIn(erin);
    expect((await session.get('/app/me')).status).toBe(200);

    // adminA belongs to an organisation: instance-wide fields are refused for them…
    const current = (await adminA.get('/admin/mfa/policy')).body.policy;
    const refused = await adminA
      .put('/admin/mfa/policy')
      .send({ ...current, requiredRoles: [...current.requiredRoles, 'warehouse'] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    // …but they can require MFA for their whole organisation.
    const saved = await adminA
      .put('/admin/mfa/policy')
      .send({ ...current, requiredOrgs: ['org-a'], reason: 'audit finding' });
    expect(saved.status).toBe(200);
    expect(saved.body.policy.requiredOrgs).toEqual(['org-a']);

    const next = await session.get('/app/me');
    expect(next.status).toBe(403);
    expect(next.body.error.code).toBe('MFA_REQUIRED');
    const login = await supertest(t.app)
      .post('/login')
      .set('Origin', ORIGIN)
      .send({ username: erin.id, password: `pw-${erin.id}` });
    expect(login.body).toMatchObject({ status: 'enrol', reason: 'organisation' });

    const [event] = (await t.mfa.events.query({ types: ['POLICY_CHANGED'] })).events;
    expect(event).toMatchObject({
      actor: { kind: 'admin', id: 'admin-a' },
      details: { reason: 'audit finding' },
    });
  });

  it('an organisation admin neither sees nor changes other organisations’ entries', async () => {
    const before = await t.mfa.admin.getPolicy();
    expect(before.requiredOrgs).toContain('org-a');
    const seen = await adminB.get('/admin/mfa/policy');
    expect(seen.body.policy.requiredOrgs).toEqual([]);
    expect(seen.body.instanceWide).toBe(false);

    const sneaky = await adminB
      .put('/admin/mfa/policy')
      .send({ ...seen.body.policy, requiredOrgs: ['org-a', 'org-b'] });
    expect(sneaky.status).toBe(403);
    const own = await adminB.put('/admin/mfa/policy').send({ ...seen.body.policy, requiredOrgs: ['org-b'] });
    expect(own.status).toBe(200);
    const after = await t.mfa.admin.getPolicy();
    expect([...after.requiredOrgs].sort()).toEqual(['org-a', 'org-b']);
  });

  it('validates the policy body', async () => {
    const res = await adminA.put('/admin/mfa/policy').send({
      requiredRoles: 'admin',
      requiredOrgs: [],
      rollout: { mode: 'some' },
      grace: null,
      allowSelfUnlock: 1,
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual([
      'allowSelfUnlock',
      'requiredRoles',
      'rollout.mode',
    ]);
  });
});
