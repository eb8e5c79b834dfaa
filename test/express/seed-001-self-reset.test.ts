import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, enrolTotp, login, post, sessionKeys, totp } from './test-app.js';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('seed 001: reset 2-step authentication with recovery codes', () => {
  it('sign in with one recovery code, deactivate with a different one, sign in again, re-enrol', async () => {
    const { recoveryCodes } = await enrolTotp(t, request.agent(t.app), 'alice');
    const [first, second] = recoveryCodes as [string, string];

    // 1–2. Log in, use a recovery code as the second step.
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'alice')).body.status).toBe('challenge');
    expect((await post(agent, '/mfa/sign-in/recovery', { code: first })).status).toBe(200);

    // 5. The code used to sign in cannot deactivate (single use)…
    const reused = await post(agent, '/mfa/disable', { factor: 'recovery', code: first });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('INVALID_CODE');
    expect((await agent.get('/private')).status).toBe(200);

    // 6. …a different one can; the session ends ("redirected to the beginning").
    const disabled = await post(agent, '/mfa/disable', { factor: 'recovery', code: second });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({ disabled: true, signedOut: true });
    expect((await agent.get('/private')).status).toBe(401);
    expect(await sessionKeys(t)).toHaveLength(0);

    // 7. Log in again with the same credentials: no challenge any more.
    const again = await login(t, agent, 'alice');
    expect(again.body).toMatchObject({ status: 'signed-in', offerEnrolment: true });

    // 8. Activate again with an app.
    const enrol = await post(agent, '/mfa/totp/enrol');
    const confirmed = await post(agent, '/mfa/totp/confirm', {
      code: totp(enrol.body.secret, t.clock.now()),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(confirmed.body.recoveryCodes).not.toContain(second);
    t.clock.advance(30_000);
    const next = request.agent(t.app);
    expect((await login(t, next, 'alice')).body.status).toBe('challenge');
    // The old set is gone.
    expect((await post(next, '/mfa/sign-in/recovery', { code: recoveryCodes[2] })).status).toBe(401);
  });

  it('disable is refused when the policy requires MFA (POLICY_FORBIDS), and charges nothing', async () => {
    const { secret } = await enrolTotp(t, request.agent(t.app), 'bob');
    await t.mfa.admin.setPolicy(
      { kind: 'admin', id: 'root' },
      {
        requiredRoles: ['admin'],
        requiredOrgs: [],
        rollout: { mode: 'all' },
        grace: null,
        allowSelfUnlock: false,
      },
    );
    const agent = request.agent(t.app);
    await login(t, agent, 'bob');
    await post(agent, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) });
    t.clock.advance(30_000);
    const refused = await post(agent, '/mfa/disable', { factor: 'totp', code: totp(secret, t.clock.now()) });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('POLICY_FORBIDS');
    expect((await agent.get('/private')).status).toBe(200);
  });

  it('regenerating recovery codes needs a fresh factor and invalidates the old set', async () => {
    const agent = request.agent(t.app);
    const { secret, recoveryCodes } = await enrolTotp(t, agent, 'alice');
    // Confirming a new factor is not fresh proof of the user: a code is needed.
    const afterEnrolment = await post(agent, '/mfa/recovery-codes');
    expect(afterEnrolment.status).toBe(403);
    expect(afterEnrolment.body.error).toMatchObject({ code: 'MFA_REQUIRED', stepUp: true });
    t.clock.advance(30_000);
    expect(
      (await post(agent, '/mfa/verify', { factor: 'totp', code: totp(secret, t.clock.now()) })).status,
    ).toBe(200);
    const fresh = await post(agent, '/mfa/recovery-codes');
    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    t.clock.advance(300_001);
    const stale = await post(agent, '/mfa/recovery-codes');
    expect(stale.status).toBe(403);
    expect(stale.body.error).toMatchObject({ code: 'MFA_REQUIRED', stepUp: true });
    const withCode = await post(agent, '/mfa/recovery-codes', {
      factor: 'totp',
      code: totp(secret, t.clock.now()),
    });
    expect(withCode.status).toBe(200);

    const next = request.agent(t.app);
    await login(t, next, 'alice');
    expect((await post(next, '/mfa/sign-in/recovery', { code: recoveryCodes[0] })).status).toBe(401);
    expect((await post(next, '/mfa/sign-in/recovery', { code: fresh.body.recoveryCodes[0] })).status).toBe(
      401,
    );
    expect((await post(next, '/mfa/sign-in/recovery', { code: withCode.body.recoveryCodes[0] })).status).toBe(
      200,
    );
  });
});
