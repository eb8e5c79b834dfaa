// Issue 5: Twilio through createMfa — enrol a phone and sign in by SMS with the
// real SDK against the fake Twilio; provider failures become typed results and
// events, and never cost the user a verification attempt.
import { randomBytes } from 'node:crypto';
import { type Mfa, type MfaUser, createMemoryBackend, createMfa } from '@mfa-kit/core';
import { createTwilioSmsSender } from '@mfa-kit/twilio-sms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTwilioServer, httpFailure, startFakeTwilio, twilioError } from '../fakes/twilio-server.js';

const FROM = '+15005550006';
const ctx = { ip: '203.0.113.7', userAgent: 'vitest' };

let fake: FakeTwilioServer;
let mfa: Mfa;
let counter = 0;
// A clock the test moves, to step past the 60 s resend cooldown between enrolment and sign-in.
let nowMs = Date.UTC(2026, 0, 1);
const clock = { now: () => nowMs };

beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  mfa = createMfa({
    backend: createMemoryBackend(),
    issuer: 'Acme',
    encryption: { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' },
    hashKey: randomBytes(32),
    clock,
    sms: {
      sender: createTwilioSmsSender({
        accountSid: `AC${'f6'.repeat(16)}`,
        authToken: 'e2e-token',
        from: FROM,
        timeoutMs: 500,
        retryBaseDelayMs: 5,
        twilioOptions: fake.twilioOptions(),
      }),
      appName: 'Acme',
      originDomain: 'acme.example',
    },
  });
});

/** A fresh user and a fresh number per test, so per-number limits never interfere. */
function newUser(): { user: MfaUser; phone: string } {
  counter += 1;
  return { user: { id: `user-${counter}` }, phone: `+1415555${String(1000 + counter).slice(-4)}` };
}

async function enrolPhone(user: MfaUser, phone: string): Promise<void> {
  const sent = await mfa.sms.beginEnrolment(user, phone, ctx);
  expect(sent).toMatchObject({ ok: true });
  const code = fake.lastCodeFor(phone);
  expect(code).toMatch(/^\d{6}$/);
  await expect(mfa.sms.confirmEnrolment(user, code, ctx)).resolves.toMatchObject({ ok: true, factor: 'sms' });
  nowMs += 61_000;
}

describe('Twilio SMS through createMfa', () => {
  it('enrols a phone with the code from Twilio and signs in by SMS', async () => {
    const { user, phone } = newUser();
    await enrolPhone(user, phone);
    const body = fake.lastBodyFor(phone);
    expect(body).toMatch(/^Acme: your verification code is \d{6}\n\n@acme\.example #\d{6}$/);
    expect(fake.messages[0]).toMatchObject({ to: phone, from: FROM });

    await expect(mfa.sms.sendSignInCode(user, ctx)).resolves.toMatchObject({ ok: true });
    const code = fake.lastCodeFor(phone);
    await expect(mfa.verify(user, 'sms', code, ctx)).resolves.toMatchObject({ ok: true });
  });

  it('turns a Twilio 500 during sign-in into PROVIDER_FAILURE, logs it with code 500 and charges no attempt', async () => {
    const { user, phone } = newUser();
    await enrolPhone(user, phone);
    // One failed verification first, so "unchanged" is a non-trivial state.
    await mfa.verify(user, 'sms', '000000', ctx);
    const before = (await mfa.status(user)).limiter;

    fake.failFor(phone, httpFailure(500));
    const result = await mfa.sms.sendSignInCode(user, ctx);
    expect(result).toMatchObject({ ok: false, code: 'PROVIDER_FAILURE', providerCode: 500 });
    if (result.ok || result.code !== 'PROVIDER_FAILURE') throw new Error('unreachable');
    expect(result.message).toContain('error code: 500');
    expect(result.hint).toMatch(/try again later/i);

    const page = await mfa.events.query({ types: ['PROVIDER_FAILURE'], userId: user.id });
    expect(page.events).toHaveLength(1);
    expect(page.events[0]!.details).toMatchObject({ provider: 'twilio', providerCode: 500 });
    expect(JSON.stringify(page.events)).not.toContain(phone.slice(2));

    expect((await mfa.status(user)).limiter).toEqual(before);

    // The failed send gave the resend cooldown back: the user can retry at once, and sign in.
    fake.clearFailures();
    await expect(mfa.sms.sendSignInCode(user, ctx)).resolves.toMatchObject({ ok: true });
    await expect(mfa.verify(user, 'sms', fake.lastCodeFor(phone), ctx)).resolves.toMatchObject({ ok: true });
  });

  it('reports an invalid number at enrolment as SMS_FAILURE 21211 with a hint, without a setup failure', async () => {
    const { user, phone } = newUser();
    const before = (await mfa.status(user)).limiter;
    fake.failFor(phone, twilioError(21211));
    const result = await mfa.sms.beginEnrolment(user, phone, ctx);
    expect(result).toMatchObject({ ok: false, code: 'SMS_FAILURE', providerCode: 21211 });
    if (result.ok || result.code !== 'SMS_FAILURE') throw new Error('unreachable');
    expect(result.hint).toMatch(/check the number/i);
    const page = await mfa.events.query({ types: ['SMS_FAILURE'], userId: user.id });
    expect(page.events.map((e) => e.details)).toEqual([expect.objectContaining({ providerCode: 21211 })]);
    expect((await mfa.status(user)).limiter).toEqual(before);
  });

  it('tells an unsubscribed user how to resubscribe (21610)', async () => {
    const { user, phone } = newUser();
    await enrolPhone(user, phone);
    fake.failFor(phone, twilioError(21610));
    const result = await mfa.sms.sendSignInCode(user, ctx);
    expect(result).toMatchObject({ ok: false, code: 'SMS_FAILURE', providerCode: 21610 });
    if (result.ok || result.code !== 'SMS_FAILURE') throw new Error('unreachable');
    expect(result.hint).toContain(`Reply START to ${FROM} to resubscribe`);
  });

  it('records a timeout (Twilio never answers) as PROVIDER_FAILURE ETIMEDOUT within the bound', async () => {
    const { user, phone } = newUser();
    await enrolPhone(user, phone);
    fake.failFor(phone, { kind: 'hang' });
    const result = await mfa.sms.sendSignInCode(user, ctx);
    expect(result).toMatchObject({ ok: false, code: 'PROVIDER_FAILURE', providerCode: 'ETIMEDOUT' });
    // Settled while Twilio still held the request.
    expect(fake.hangingCount).toBe(1);
    fake.releaseHung();
    const page = await mfa.events.query({ types: ['PROVIDER_FAILURE'], userId: user.id });
    expect(page.events[0]!.details).toMatchObject({ providerCode: 'ETIMEDOUT' });
  });
});
