import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, enrolTotp, login, post, totp } from './test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('forced enrolment (seed 002, 003)', () => {
  it('a required role can do nothing but enrol; confirming completes the sign-in', async () => {
    t = createTestApp({ policy: { requiredRoles: ['admin'] } });
    const agent = request.agent(t.app);
    const started = await login(t, agent, 'bob');
    expect(started.body).toMatchObject({ status: 'enrol', reason: 'role' });

    expect((await agent.get('/private')).status).toBe(401);
    const challenge = await post(agent, '/mfa/sign-in/totp', { code: '123456' });
    expect(challenge.status).toBe(403);
    expect(challenge.body.error.code).toBe('ENROLMENT_REQUIRED');
    expect((await post(agent, '/mfa/decline')).status).toBe(401);

    const enrol = await post(agent, '/mfa/totp/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(enrol.body.qrCode).toMatch(/^data:image\/png;base64,/);
    const confirmed = await post(agent, '/mfa/totp/confirm', {
      code: totp(enrol.body.secret, t.clock.now()),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(confirmed.body.status).toBe('signed-in');
    expect((await agent.get('/private')).body).toEqual({ user: 'bob' });

    // The codes are shown once: status reports a count, never the codes.
    const status = await agent.get('/mfa/status');
    expect(status.body.recoveryCodesRemaining).toBe(10);
    expect(JSON.stringify(status.body)).not.toContain(confirmed.body.recoveryCodes[0]);
  });

  it('after an admin reset, the next sign-in of a required role forces enrolment again', async () => {
    t = createTestApp({ policy: { requiredRoles: ['admin'] } });
    const first = request.agent(t.app);
    await login(t, first, 'bob');
    const enrol = await post(first, '/mfa/totp/enrol');
    await post(first, '/mfa/totp/confirm', { code: totp(enrol.body.secret, t.clock.now()) });
    await t.mfa.admin.reset({ kind: 'admin', id: 'root' }, t.users.get('bob')!);
    const next = await login(t, request.agent(t.app), 'bob');
    expect(next.body).toMatchObject({ status: 'enrol', reason: 'role' });
  });

  it('a pending forced enrolment expires with SESSION_EXPIRED', async () => {
    t = createTestApp({ policy: { requiredRoles: ['admin'] }, pendingTtlMs: 60_000 });
    const agent = request.agent(t.app);
    await login(t, agent, 'bob');
    t.clock.advance(60_000);
    const late = await post(agent, '/mfa/totp/enrol');
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('SESSION_EXPIRED');
    expect(t.events.find((event) => event.type === 'SESSION_EXPIRED')).toMatchObject({
      userId: 'bob',
      details: { stage: 'enrolment' },
    });
  });
});

describe('optional MFA and decline for now (seed 000)', () => {
  it('logs an optional user in, lets them decline, and enable MFA later from settings', async () => {
    t = createTestApp();
    const agent = request.agent(t.app);
    const started = await login(t, agent, 'alice');
    expect(started.body).toMatchObject({ status: 'signed-in', offerEnrolment: true });
    expect((await agent.get('/private')).status).toBe(200);
    const declined = await post(agent, '/mfa/decline');
    expect(declined.status).toBe(200);
    expect(t.events.some((event) => event.type === 'ENROLMENT_DECLINED' && event.userId === 'alice')).toBe(
      true,
    );
    const enrol = await post(agent, '/mfa/totp/enrol');
    expect(enrol.status).toBe(200);
  });

  it('refuses decline when the policy requires MFA', async () => {
    t = createTestApp({ policy: { requiredRoles: ['admin'], grace: { signIns: 3 } } });
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'bob')).body.status).toBe('signed-in');
    const declined = await post(agent, '/mfa/decline');
    expect(declined.status).toBe(403);
    expect(declined.body.error.code).toBe('ENROLMENT_REQUIRED');
  });

  it('a user outside the rollout never sees MFA (gradual rollout)', async () => {
    t = createTestApp({ policy: { rollout: { mode: 'orgs', orgs: ['org-1'] } } });
    const agent = request.agent(t.app);
    const started = await login(t, agent, 'carol');
    expect(started.body).toMatchObject({ status: 'signed-in', offerEnrolment: false });
    const declined = await post(agent, '/mfa/decline');
    expect(declined.status).toBe(403);
    expect((await agent.get('/private')).status).toBe(200);
  });
});

describe('grace period', () => {
  it('allows N sign-ins without MFA, then forces enrolment', async () => {
    t = createTestApp({ policy: { requiredRoles: ['admin'], grace: { signIns: 2 } } });
    for (const left of [1, 0]) {
      const agent = request.agent(t.app);
      const started = await login(t, agent, 'bob');
      expect(started.body).toMatchObject({ status: 'signed-in', graceRemaining: { signIns: left } });
      expect((await agent.get('/private')).status).toBe(200);
    }
    const third = await login(t, request.agent(t.app), 'bob');
    expect(third.body).toMatchObject({ status: 'enrol', reason: 'role' });
  });

  it('a grace session is refused once the grace period has ended by date', async () => {
    t = createTestApp({});
    const until = t.clock.now() + 3_600_000;
    await t.mfa.admin.setPolicy(
      { kind: 'admin', id: 'root' },
      {
        requiredRoles: ['admin'],
        requiredOrgs: [],
        rollout: { mode: 'all' },
        grace: { until },
        allowSelfUnlock: false,
      },
    );
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'bob')).body.status).toBe('signed-in');
    expect((await agent.get('/private')).status).toBe(200);
    t.clock.advance(3_600_000);
    const after = await agent.get('/private');
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe('MFA_REQUIRED');
  });
});

describe('policy changes take effect at the next request', () => {
  it('requiring MFA for an organisation refuses its signed-in sessions without MFA, not those with it', async () => {
    t = createTestApp();
    const withoutMfa = request.agent(t.app);
    await login(t, withoutMfa, 'dave');
    const withMfa = request.agent(t.app);
    await enrolTotp(t, withMfa, 'alice');
    expect((await withoutMfa.get('/private')).status).toBe(200);

    await t.mfa.admin.setPolicy(
      { kind: 'admin', id: 'root' },
      {
        requiredRoles: [],
        requiredOrgs: ['org-1'],
        rollout: { mode: 'all' },
        grace: null,
        allowSelfUnlock: false,
      },
    );
    const refused = await withoutMfa.get('/private');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('MFA_REQUIRED');
    expect((await withMfa.get('/private')).status).toBe(200);

    // The refused user can still enrol from settings, which completes MFA for the session.
    const enrol = await post(withoutMfa, '/mfa/totp/enrol');
    await post(withoutMfa, '/mfa/totp/confirm', { code: totp(enrol.body.secret, t.clock.now()) });
    expect((await withoutMfa.get('/private')).status).toBe(200);
  });
});
