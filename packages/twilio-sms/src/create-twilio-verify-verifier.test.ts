import { MfaError } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import { startFakeTwilioForFile } from '../../../test/fakes/fake-twilio-for-file.js';
import { twilioError } from '../../../test/fakes/twilio-server.js';
import { createTwilioVerifyVerifier } from './create-twilio-verify-verifier.js';
import type { TwilioVerifyVerifierOptions } from './options.js';

const ACCOUNT_SID = `AC${'d4'.repeat(16)}`;
const AUTH_TOKEN = 'verify-token-0123456789';
const SERVICE_SID = `VA${'e5'.repeat(16)}`;
const TO = '+447700900123';

const fake = await startFakeTwilioForFile();

function verifier(overrides: Partial<TwilioVerifyVerifierOptions> = {}) {
  return createTwilioVerifyVerifier({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    serviceSid: SERVICE_SID,
    twilioOptions: fake.twilioOptions(),
    retryBaseDelayMs: 5,
    ...overrides,
  });
}

describe('createTwilioVerifyVerifier', () => {
  it('starts an SMS verification on the Verify service with Basic auth', async () => {
    await verifier().start(TO);
    const request = fake.requests[0]!;
    expect(request.twilioHost).toBe('verify.twilio.com');
    expect(request.path).toBe(`/v2/Services/${SERVICE_SID}/Verifications`);
    expect(request.form).toEqual({ To: TO, Channel: 'sms' });
    expect(request.auth).toEqual({ username: ACCOUNT_SID, password: AUTH_TOKEN });
    expect(fake.lastCodeFor(TO)).toMatch(/^\d{6}$/);
  });

  it('approves the code Twilio sent, once', async () => {
    const v = verifier();
    await v.start(TO);
    const code = fake.lastCodeFor(TO)!;
    await expect(v.check(TO, code)).resolves.toBe(true);
    const check = fake.requests[1]!;
    expect(check.path).toBe(`/v2/Services/${SERVICE_SID}/VerificationCheck`);
    expect(check.form).toEqual({ To: TO, Code: code });
    // Approved verifications are consumed: Twilio answers 404 to a second check.
    await expect(v.check(TO, code)).resolves.toBe(false);
  });

  it('denies a wrong code and keeps the verification pending', async () => {
    const v = verifier();
    await v.start(TO);
    const code = fake.lastCodeFor(TO)!;
    const wrong = code === '000000' ? '000001' : '000000';
    await expect(v.check(TO, wrong)).resolves.toBe(false);
    await expect(v.check(TO, code)).resolves.toBe(true);
  });

  it('denies a check when no verification was started (404/20404) and an empty code without a request', async () => {
    await expect(verifier().check(TO, '123456')).resolves.toBe(false);
    expect(fake.requests).toHaveLength(1);
    await expect(verifier().check(TO, '')).resolves.toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps Verify errors on start: 60605 region blocked, 60200 invalid number, 60203 rate limited', async () => {
    const expectations: Array<[number, string, string]> = [
      [60605, 'SMS_FAILURE', 'region-blocked'],
      [60200, 'SMS_FAILURE', 'invalid-number'],
      [60203, 'PROVIDER_FAILURE', 'rate-limited'],
    ];
    for (const [code, mfaCode, reason] of expectations) {
      fake.failNext(twilioError(code));
      const error = await verifier()
        .start(TO)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(MfaError);
      expect((error as MfaError).code).toBe(mfaCode);
      expect((error as MfaError).details).toMatchObject({ providerCode: code, reason });
    }
  });

  it('retries 60212 (too many concurrent requests) and then starts', async () => {
    fake.failFor(TO, twilioError(60212), 1);
    await verifier().start(TO);
    expect(fake.requests).toHaveLength(2);
    expect(fake.lastCodeFor(TO)).toMatch(/^\d{6}$/);
  });

  it('surfaces a 500 during check as PROVIDER_FAILURE, not as a wrong code', async () => {
    const v = verifier();
    await v.start(TO);
    fake.failNext({ kind: 'error', status: 500, code: 500, message: 'Internal Server Error' });
    const error = await v.check(TO, fake.lastCodeFor(TO)!).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MfaError);
    expect((error as MfaError).code).toBe('PROVIDER_FAILURE');
    expect((error as MfaError).details.providerCode).toBe(500);
  });

  it('rejects a malformed service SID at creation', () => {
    expect(() => verifier({ serviceSid: 'VA1' })).toThrowError(
      expect.objectContaining({ name: 'MfaError', code: 'CONFIGURATION' }),
    );
  });
});
