import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, enrolTotp, login, post, totp, wrongTotp } from './test-app.js';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(async () => {
  await t.close();
});

function sessionCookie(response: request.Response): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith('connect.sid='))?.split(';')[0];
}

describe('TOTP sign-in', () => {
  it('keeps a pending session unauthenticated, then logs in with a new session id', async () => {
    const setup = request.agent(t.app);
    const { secret } = await enrolTotp(t, setup, 'alice');

    const agent = request.agent(t.app);
    const started = await login(t, agent, 'alice');
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'challenge', factors: ['totp', 'recovery'] });
    const pendingCookie = sessionCookie(started);
    expect(pendingCookie).toBeDefined();

    // A pending session is not signed in anywhere.
    expect((await agent.get('/private')).status).toBe(401);
    expect((await agent.get('/mfa/status')).status).toBe(401);

    const wrong = await post(agent, '/mfa/sign-in/totp', { code: wrongTotp(secret, t.clock.now()) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CODE');
    expect((await agent.get('/private')).status).toBe(401);

    const ok = await post(agent, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'signed-in', factor: 'totp' });
    const loggedInCookie = sessionCookie(ok);
    expect(loggedInCookie).toBeDefined();
    expect(loggedInCookie).not.toBe(pendingCookie);

    const page = await agent.get('/private');
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ user: 'alice' });
    const status = await agent.get('/mfa/status');
    expect(status.body.session).toMatchObject({ factor: 'totp', mfaCompletedAt: t.clock.now() });

    // The old (pending) session id is dead: replaying its cookie gets nothing.
    const replay = await request(t.app).get('/private').set('Cookie', pendingCookie!);
    expect(replay.status).toBe(401);
  });

  it('refuses the enrolment code as the first sign-in code (replay)', async () => {
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    const started = await post(agent, '/mfa/totp/enrol');
    const code = totp(started.body.secret, t.clock.now());
    expect((await post(agent, '/mfa/totp/confirm', { code })).status).toBe(200);

    const second = request.agent(t.app);
    expect((await login(t, second, 'alice')).body.status).toBe('challenge');
    const replayed = await post(second, '/mfa/sign-in/totp', { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('INVALID_CODE');
  });

  it('signs in with a recovery code once; the same code is refused the next time', async () => {
    const { recoveryCodes } = await enrolTotp(t, request.agent(t.app), 'alice');
    const code = recoveryCodes[0]!;
    const first = request.agent(t.app);
    await login(t, first, 'alice');
    const ok = await post(first, '/mfa/sign-in/recovery', { code });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ factor: 'recovery', recoveryCodesRemaining: recoveryCodes.length - 1 });

    const second = request.agent(t.app);
    await login(t, second, 'alice');
    const again = await post(second, '/mfa/sign-in/recovery', { code });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('INVALID_CODE');
  });

  it('step-up: a sensitive route needs a second factor within maxAgeMs', async () => {
    const agent = request.agent(t.app);
    const { secret } = await enrolTotp(t, agent, 'alice');
    // Confirming a new factor is not a step-up.
    expect((await post(agent, '/transfer')).status).toBe(403);
    const first = await post(agent, '/mfa/verify', { factor: 'totp', code: totp(secret, t.clock.now()) });
    expect(first.status).toBe(200);
    expect((await post(agent, '/transfer')).status).toBe(200);
    t.clock.advance(61_000);
    const stale = await post(agent, '/transfer');
    expect(stale.status).toBe(403);
    // It names the factors that can step up (this app has no WebAuthn: never `webauthn`).
    expect(stale.body.error).toMatchObject({
      code: 'MFA_REQUIRED',
      stepUp: true,
      stepUpFactors: ['totp', 'recovery'],
    });
    expect((await agent.get('/private')).status).toBe(200);
    const verified = await post(agent, '/mfa/verify', { factor: 'totp', code: totp(secret, t.clock.now()) });
    expect(verified.status).toBe(200);
    expect((await post(agent, '/transfer')).status).toBe(200);
  });

  it('answers SESSION_EXPIRED after the pending challenge expired, and logs the event', async () => {
    const { secret } = await enrolTotp(t, request.agent(t.app), 'alice');
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    t.clock.advance(600_001);
    const late = await post(agent, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('SESSION_EXPIRED');
    expect(late.body.error.message).toMatch(/sign in again/i);
    const expired = t.events.filter((event) => event.type === 'SESSION_EXPIRED');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ userId: 'alice', details: { stage: 'challenge' } });
    // The pending state is gone: a fresh code does not resurrect it.
    const after = await post(agent, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) });
    expect(after.status).toBe(401);
    expect((await agent.get('/private')).status).toBe(401);
  });
});
