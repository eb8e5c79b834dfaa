import { createTwilioSmsSender } from '@mfa-kit/twilio-sms';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTwilioServer, httpFailure, startFakeTwilio, twilioError } from '../fakes/twilio-server.js';
import { type TestApp, createTestApp, login, post } from './test-app.js';

const PHONE = '+14155550177';
let fake: FakeTwilioServer;
let t: TestApp;

beforeEach(async () => {
  fake = await startFakeTwilio();
  t = createTestApp({
    policy: { requiredRoles: ['admin'] },
    smsSender: createTwilioSmsSender({
      accountSid: `AC${'0'.repeat(32)}`,
      authToken: 'test-token',
      from: '+15005550006',
      maxRetries: 0,
      twilioOptions: fake.twilioOptions(),
    }),
  });
});
afterEach(async () => {
  await t.close();
  await fake.close();
});

describe('SMS through the real Twilio SDK against the fake Twilio server', () => {
  it('forced enrolment by SMS completes the sign-in; a Twilio 500 at sign-in is a 502 with the code', async () => {
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'bob')).body.status).toBe('enrol');
    const sent = await post(agent, '/mfa/sms/enrol', { phone: PHONE });
    expect(sent.status).toBe(200);
    const code = fake.lastCodeFor(PHONE);
    expect(code).toMatch(/^\d{6}$/);
    const confirmed = await post(agent, '/mfa/sms/confirm', { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('signed-in');
    expect((await agent.get('/private')).status).toBe(200);

    t.clock.advance(60_000);
    const next = request.agent(t.app);
    expect((await login(t, next, 'bob')).body.factors).toContain('sms');
    fake.failFor(PHONE, httpFailure(500));
    const failed = await post(next, '/mfa/sign-in/sms/send');
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('PROVIDER_FAILURE');
    expect(t.events.some((event) => event.type === 'PROVIDER_FAILURE')).toBe(true);
    const status = await t.mfa.status(t.users.get('bob')!);
    expect(status.limiter.consecutiveFailures).toBe(0);
  });

  it('an invalid number (Twilio 21211) is a 422 SMS_FAILURE with the provider code at enrolment', async () => {
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    fake.failFor(PHONE, twilioError(21211));
    const failed = await post(agent, '/mfa/sms/enrol', { phone: PHONE });
    expect(failed.status).toBe(422);
    expect(failed.body.error).toMatchObject({ code: 'SMS_FAILURE', providerCode: 21211 });
  });
});
