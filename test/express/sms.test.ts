import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FRESH_FACTOR_MS } from '@mfa-kit/express';
import { MfaError, type TestApp, createTestApp, login, post, totp } from './test-app.js';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(async () => {
  await t.close();
});

const PHONE = '+14155550123';

async function enrolSms(agent: request.Agent): Promise<string[]> {
  expect((await login(t, agent, 'alice')).body.status).toBe('signed-in');
  const sent = await post(agent, '/mfa/sms/enrol', { phone: PHONE });
  expect(sent.status).toBe(200);
  expect(sent.body.maskedPhone).not.toContain('555012');
  expect(sent.body.maskedPhone).toMatch(/23$/);
  const confirmed = await post(agent, '/mfa/sms/confirm', { code: t.sms.lastCode() });
  expect(confirmed.status).toBe(200);
  t.clock.advance(60_000);
  return confirmed.body.recoveryCodes;
}

describe('SMS', () => {
  it('enrols a phone, then signs in with a code sent by SMS (with a resend)', async () => {
    await enrolSms(request.agent(t.app));
    const agent = request.agent(t.app);
    const started = await login(t, agent, 'alice');
    expect(started.body).toMatchObject({ status: 'challenge', factors: ['sms', 'recovery'] });
    expect(started.body.maskedPhone).toMatch(/23$/);

    expect((await post(agent, '/mfa/sign-in/sms/send')).status).toBe(200);
    const tooSoon = await post(agent, '/mfa/sign-in/sms/send');
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.headers['retry-after']).toBeDefined();
    t.clock.advance(60_000);
    expect((await post(agent, '/mfa/sign-in/sms/send')).status).toBe(200);
    expect(t.sms.sent.at(-1)?.to).toBe(PHONE);

    const ok = await post(agent, '/mfa/sign-in/sms', { code: t.sms.lastCode() });
    expect(ok.status).toBe(200);
    expect(ok.body.factor).toBe('sms');
    expect((await agent.get('/private')).status).toBe(200);
  });

  it('a signed-in SMS-only user gets a code for a fresh factor and regenerates recovery codes with it', async () => {
    const agent = request.agent(t.app);
    const firstCodes = await enrolSms(agent);
    t.clock.advance(DEFAULT_FRESH_FACTOR_MS); // the enrolment is no longer a fresh factor
    const refused = await post(agent, '/mfa/recovery-codes');
    expect(refused.status).toBe(403);
    expect((await post(agent, '/mfa/sms/send')).status).toBe(200);
    expect(t.sms.sent.at(-1)?.to).toBe(PHONE);
    const proof = await post(agent, '/mfa/verify', { factor: 'sms', code: t.sms.lastCode() });
    expect(proof.status).toBe(200);
    const regenerated = await post(agent, '/mfa/recovery-codes');
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.recoveryCodes).toHaveLength(10);
    expect(regenerated.body.recoveryCodes).not.toEqual(firstCodes);
    // Only a signed-in session may ask: an anonymous one is refused without a text being sent.
    const sentBefore = t.sms.sent.length;
    expect((await post(request.agent(t.app), '/mfa/sms/send')).status).toBe(401);
    expect(t.sms.sent.length).toBe(sentBefore);
  });

  it('a provider failure answers PROVIDER_FAILURE with the provider code, logs it, and charges no attempt', async () => {
    await enrolSms(request.agent(t.app));
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    t.sms.failNext = new MfaError('PROVIDER_FAILURE', {
      providerCode: 500,
      hint: 'Try again in a few minutes or use a recovery code.',
      reason: 'provider-down',
    });
    const failed = await post(agent, '/mfa/sign-in/sms/send');
    expect(failed.status).toBe(502);
    expect(failed.body.error).toMatchObject({ code: 'PROVIDER_FAILURE', providerCode: 500 });
    expect(failed.body.error.hint).toMatch(/recovery code/);
    const event = t.events.find((e) => e.type === 'PROVIDER_FAILURE');
    expect(event).toMatchObject({ userId: 'alice', details: { providerCode: 500 } });
    expect(JSON.stringify(event)).not.toContain(PHONE);
    const limiter = await t.mfa.status(t.users.get('alice')!);
    expect(limiter.limiter.consecutiveFailures).toBe(0);
    expect(limiter.limiter.families.sms?.failures ?? 0).toBe(0);
  });

  it('an unusable number answers SMS_FAILURE (422) at enrolment', async () => {
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    t.sms.failNext = new MfaError('SMS_FAILURE', {
      providerCode: 21211,
      hint: 'Check the number.',
      reason: 'invalid-number',
    });
    const failed = await post(agent, '/mfa/sms/enrol', { phone: PHONE });
    expect(failed.status).toBe(422);
    expect(failed.body.error).toMatchObject({
      code: 'SMS_FAILURE',
      providerCode: 21211,
      hint: 'Check the number.',
    });
  });

  it('"It\'s not my phone number" logs NOT_MY_NUMBER, stops sending, and points to an administrator (seed 004)', async () => {
    await enrolSms(request.agent(t.app));
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    const answer = await post(agent, '/mfa/sign-in/not-my-number');
    expect(answer.status).toBe(200);
    expect(answer.body.message).toMatch(/administrator/i);
    expect(t.events.some((event) => event.type === 'NOT_MY_NUMBER' && event.userId === 'alice')).toBe(true);
    // SMS was the only factor: pressing the button must not strip MFA, so the account is locked
    // and this sign-in is over.
    expect(answer.body).toMatchObject({ locked: true, factors: [] });
    const sentBefore = t.sms.sent.length;
    t.clock.advance(60_000);
    const send = await post(agent, '/mfa/sign-in/sms/send');
    expect(send.status).toBe(401);
    expect(t.sms.sent.length).toBe(sentBefore);
    expect((await agent.get('/private')).status).toBe(401);
    const again = await login(t, request.agent(t.app), 'alice');
    expect(again.status).toBe(423);
    expect(again.body.error.message).toMatch(/administrator/i);
  });

  it('"It\'s not my phone number" with TOTP also enrolled keeps the sign-in going without SMS', async () => {
    const setup = request.agent(t.app);
    await enrolSms(setup);
    // Adding a factor needs fresh proof with an existing one.
    t.clock.advance(60_000);
    expect((await post(setup, '/mfa/sms/send')).status).toBe(200);
    expect((await post(setup, '/mfa/verify', { factor: 'sms', code: t.sms.lastCode() })).status).toBe(200);
    const enrol = await post(setup, '/mfa/totp/enrol');
    await post(setup, '/mfa/totp/confirm', { code: totp(enrol.body.secret, t.clock.now()) });
    t.clock.advance(30_000);
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'alice')).body.factors).toEqual(['totp', 'sms', 'recovery']);
    const answer = await post(agent, '/mfa/sign-in/not-my-number');
    expect(answer.body).toMatchObject({ locked: false, factors: ['totp', 'recovery'] });
    expect((await post(agent, '/mfa/sign-in/sms/send')).status).toBe(409);
    const ok = await post(agent, '/mfa/sign-in/totp', { code: totp(enrol.body.secret, t.clock.now()) });
    expect(ok.status).toBe(200);
    const again = await login(t, request.agent(t.app), 'alice');
    expect(again.body.factors).toEqual(['totp', 'recovery']);
  });

  it('rejects a number that is not E.164 with a field error', async () => {
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    const bad = await post(agent, '/mfa/sms/enrol', { phone: '0415 555 0123' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect(bad.body.error.fields.phone).toMatch(/international format/);
    expect(t.sms.sent).toHaveLength(0);
  });
});
