import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { MfaError } from '@mfa-kit/core';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { startFakeTwilioForFile } from '../../../test/fakes/fake-twilio-for-file.js';
import {
  createRedirectingHttpClient,
  httpFailure,
  startFakeTwilio,
  twilioError,
} from '../../../test/fakes/twilio-server.js';
import { createTwilioSmsSender } from './create-twilio-sms-sender.js';
import type { TwilioSmsSenderOptions } from './options.js';

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'test-auth-token-0123456789';
const API_KEY = `SK${'b2'.repeat(16)}`;
const API_SECRET = 'api-secret-9876543210';
const SERVICE_SID = `MG${'c3'.repeat(16)}`;
const FROM = '+15005550006';
const TO = '+14155550100';

const fake = await startFakeTwilioForFile();

function sender(overrides: Partial<TwilioSmsSenderOptions> = {}) {
  return createTwilioSmsSender({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: FROM,
    twilioOptions: fake.twilioOptions(),
    retryBaseDelayMs: 5,
    ...overrides,
  });
}

async function sendError(promise: Promise<unknown>): Promise<MfaError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MfaError);
  return error as MfaError;
}

describe('createTwilioSmsSender: success', () => {
  it('posts To, From and Body form-encoded with Basic auth of accountSid:authToken', async () => {
    const body = 'Acme: your verification code is 123456\n\n@acme.example #123456';
    const result = await sender().send({ to: TO, body });

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.twilioHost).toBe('api.twilio.com');
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
    );
    // Real form encoding: `+` as %2B and the newline as %0A.
    expect(request.rawBody).toContain(`To=${encodeURIComponent(TO)}`);
    expect(request.rawBody).toContain('%0A%0A%40acme.example%20%23123456');
    expect(request.form).toEqual({ To: TO, From: FROM, Body: body });
    expect(result.id).toBe(fake.messages[0]!.sid);
    expect(result.id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.lastCodeFor(TO)).toBe('123456');
  });

  it('sends with MessagingServiceSid (no From) and API key credentials', async () => {
    const s = sender({
      authToken: undefined,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      from: undefined,
      messagingServiceSid: SERVICE_SID,
    });
    await s.send({ to: TO, body: 'Acme: your verification code is 654321' });

    const request = fake.requests[0]!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.auth).toEqual({ username: API_KEY, password: API_SECRET });
    expect(request.form).toEqual({
      To: TO,
      MessagingServiceSid: SERVICE_SID,
      Body: 'Acme: your verification code is 654321',
    });
    expect(fake.lastCodeFor(TO)).toBe('654321');
  });

  it('uses a pre-built client as given', async () => {
    const client = twilio(ACCOUNT_SID, 'other-token', fake.twilioOptions());
    await sender({ client, twilioOptions: undefined }).send({ to: TO, body: 'x 111111' });
    expect(fake.requests[0]!.auth).toEqual({ username: ACCOUNT_SID, password: 'other-token' });
  });

  it('leaves no pending timer behind after a success or a failure', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    // A 10-minute deadline: if its timer were not cleared it would still be pending below.
    const s = sender({ timeoutMs: 600_000 });
    const before = timers();
    await s.send({ to: TO, body: 'x 222222' });
    fake.failFor('+15005550001', twilioError(21211));
    await sendError(s.send({ to: '+15005550001', body: 'x 333333' }));
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe('createTwilioSmsSender: Twilio errors through the real SDK', () => {
  const cases: Array<{
    code: number;
    expected: 'SMS_FAILURE' | 'PROVIDER_FAILURE';
    reason: string;
    hint: RegExp;
  }> = [
    { code: 21211, expected: 'SMS_FAILURE', reason: 'invalid-number', hint: /check the number/i },
    { code: 21614, expected: 'SMS_FAILURE', reason: 'invalid-number', hint: /different mobile number/i },
    { code: 21612, expected: 'SMS_FAILURE', reason: 'unreachable', hint: /different mobile number/i },
    { code: 30003, expected: 'SMS_FAILURE', reason: 'unreachable', hint: /switched on/i },
    { code: 30005, expected: 'SMS_FAILURE', reason: 'unreachable', hint: /switched on/i },
    { code: 30006, expected: 'SMS_FAILURE', reason: 'unreachable', hint: /switched on/i },
    {
      code: 21610,
      expected: 'SMS_FAILURE',
      reason: 'unsubscribed',
      hint: /reply START to \+15005550006 to resubscribe/i,
    },
    { code: 21408, expected: 'SMS_FAILURE', reason: 'region-blocked', hint: /supported country/i },
    { code: 60605, expected: 'SMS_FAILURE', reason: 'region-blocked', hint: /supported country/i },
    { code: 60203, expected: 'PROVIDER_FAILURE', reason: 'rate-limited', hint: /wait/i },
  ];

  for (const { code, expected, reason, hint } of cases) {
    it(`maps ${code} to ${expected} (${reason}) with the code kept, and does not retry`, async () => {
      const to = `+1415555${String(code).slice(-4)}`;
      fake.failFor(to, twilioError(code));
      const error = await sendError(sender().send({ to, body: 'x 123456' }));
      expect(error.code).toBe(expected);
      expect(error.details.reason).toBe(reason);
      expect(error.details.providerCode).toBe(code);
      expect(error.details.hint).toMatch(hint);
      expect(error.cause).toBeInstanceOf(twilio.RestException);
      expect((error.cause as { code?: number }).code).toBe(code);
      // The user-facing text leaks neither credentials nor internals.
      expect(`${error.message} ${error.details.hint}`).not.toMatch(
        new RegExp(`${AUTH_TOKEN}|${ACCOUNT_SID}|at |http`),
      );
      expect(fake.requests).toHaveLength(1);
    });
  }

  it('names no number in the 21610 hint when sending through a Messaging Service', async () => {
    fake.failFor(TO, twilioError(21610));
    const error = await sendError(
      sender({ from: undefined, messagingServiceSid: SERVICE_SID }).send({ to: TO, body: 'x 1' }),
    );
    expect(error.details.hint).toMatch(/reply START to the number our codes come from/i);
  });

  it('retries 20429 with backoff and succeeds when Twilio recovers', async () => {
    fake.failFor(TO, twilioError(20429), 2);
    const result = await sender({ maxRetries: 2 }).send({ to: TO, body: 'x 424242' });
    expect(fake.requests).toHaveLength(3);
    expect(fake.messages).toHaveLength(1);
    expect(result.id).toBe(fake.messages[0]!.sid);
  });

  it('gives up after maxRetries on a persistent 20429 with PROVIDER_FAILURE rate-limited', async () => {
    fake.failFor(TO, twilioError(20429));
    const error = await sendError(sender({ maxRetries: 2 }).send({ to: TO, body: 'x 1' }));
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details).toMatchObject({ reason: 'rate-limited', providerCode: 20429 });
    expect(fake.requests).toHaveLength(3);
    expect(fake.messages).toHaveLength(0);
  });

  it('does not retry 20429 when maxRetries is 0', async () => {
    fake.failFor(TO, twilioError(20429));
    await sendError(sender({ maxRetries: 0 }).send({ to: TO, body: 'x 1' }));
    expect(fake.requests).toHaveLength(1);
  });

  it('stops retrying when the next backoff would pass the total deadline', async () => {
    fake.failFor(TO, twilioError(20429));
    // A backoff of at least 10 s (jitter pinned to its maximum) never fits a 2 s budget.
    const error = await sendError(
      sender({ maxRetries: 5, retryBaseDelayMs: 10_000, jitter: () => 0.999, timeoutMs: 2_000 }).send({
        to: TO,
        body: 'x 1',
      }),
    );
    expect(error.details.providerCode).toBe(20429);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps an HTTP 500 with a Twilio body to PROVIDER_FAILURE with code 500 and does not retry', async () => {
    fake.failFor(TO, { kind: 'error', status: 500, code: 500, message: 'Internal Server Error' });
    const error = await sendError(sender().send({ to: TO, body: 'x 1' }));
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details).toMatchObject({ reason: 'provider-down', providerCode: 500 });
    expect(error.message).toContain('error code: 500');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a bare HTTP 500 (no JSON body) to PROVIDER_FAILURE with providerCode 500', async () => {
    fake.failFor(TO, httpFailure(500));
    const error = await sendError(sender().send({ to: TO, body: 'x 1' }));
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details).toMatchObject({ reason: 'provider-down', providerCode: 500 });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps an HTTP 503 HTML page to PROVIDER_FAILURE with providerCode 503', async () => {
    fake.failFor(TO, httpFailure(503, '<html><body>Service Unavailable</body></html>'));
    const error = await sendError(sender().send({ to: TO, body: 'x 1' }));
    expect(error.details).toMatchObject({ reason: 'provider-down', providerCode: 503 });
    expect(error.code).toBe('PROVIDER_FAILURE');
  });

  it('maps an unknown Twilio error (bad credentials, 20003) to PROVIDER_FAILURE with the code', async () => {
    const strict = await startFakeTwilio({ credentials: [{ username: ACCOUNT_SID, password: 'right' }] });
    try {
      const error = await sendError(
        sender({ authToken: 'wrong', twilioOptions: strict.twilioOptions() }).send({ to: TO, body: 'x 1' }),
      );
      expect(error.code).toBe('PROVIDER_FAILURE');
      expect(error.details).toMatchObject({ reason: 'provider-down', providerCode: 20003 });
      expect(error.message).not.toContain('wrong');
    } finally {
      await strict.close();
    }
  });

  it('maps a dropped connection to PROVIDER_FAILURE provider-down with the network code', async () => {
    fake.failNext({ kind: 'reset' });
    const error = await sendError(sender().send({ to: TO, body: 'x 1' }));
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details.reason).toBe('provider-down');
    expect(error.details.providerCode).toBe('ECONNRESET');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps connection refused to PROVIDER_FAILURE provider-down ECONNREFUSED', async () => {
    const closedUrl = await unusedLoopbackUrl();
    const error = await sendError(
      sender({ twilioOptions: { httpClient: createRedirectingHttpClient(closedUrl) } }).send({
        to: TO,
        body: 'x',
      }),
    );
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details).toMatchObject({ reason: 'provider-down', providerCode: 'ECONNREFUSED' });
  });

  it('gives up on a response that never comes within timeoutMs, without retrying', async () => {
    fake.failFor(TO, { kind: 'hang' });
    const error = await sendError(sender({ timeoutMs: 300 }).send({ to: TO, body: 'x 1' }));
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details).toMatchObject({ reason: 'provider-down', providerCode: 'ETIMEDOUT' });
    // The send settled while Twilio was still holding the request: the bound is ours, not the server's.
    expect(fake.hangingCount).toBe(1);
    expect(fake.requests).toHaveLength(1);
    fake.releaseHung();
  });

  it('maps the SDK socket timeout (shorter than our deadline) to ETIMEDOUT too', async () => {
    fake.failFor(TO, { kind: 'hang' });
    const error = await sendError(
      sender({ timeoutMs: 60_000, twilioOptions: fake.twilioOptions({ timeoutMs: 200 }) }).send({
        to: TO,
        body: 'x',
      }),
    );
    expect(error.details).toMatchObject({ reason: 'provider-down', providerCode: 'ETIMEDOUT' });
    fake.releaseHung();
  });
});

describe('createTwilioSmsSender: configuration', () => {
  const base = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM };
  const invalid: Array<[string, Partial<TwilioSmsSenderOptions>]> = [
    ['neither from nor messagingServiceSid', { from: undefined }],
    ['both from and messagingServiceSid', { messagingServiceSid: SERVICE_SID }],
    ['a malformed messagingServiceSid', { from: undefined, messagingServiceSid: 'MG123' }],
    ['a malformed accountSid', { accountSid: 'AC123' }],
    ['an API key SID as accountSid', { accountSid: API_KEY }],
    ['no credentials', { authToken: undefined }],
    ['authToken and apiKey together', { apiKey: API_KEY, apiSecret: API_SECRET }],
    ['apiKey without apiSecret', { authToken: undefined, apiKey: API_KEY }],
    ['an apiKey that is not an SK sid', { authToken: undefined, apiKey: 'AC1', apiSecret: API_SECRET }],
    ['a zero timeout', { timeoutMs: 0 }],
    ['a negative maxRetries', { maxRetries: -1 }],
    ['a fractional maxRetries', { maxRetries: 1.5 }],
  ];
  for (const [label, overrides] of invalid) {
    it(`rejects ${label} at creation with CONFIGURATION`, () => {
      let thrown: unknown;
      try {
        createTwilioSmsSender({ ...base, ...overrides });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MfaError);
      expect((thrown as MfaError).code).toBe('CONFIGURATION');
      expect((thrown as MfaError).message).not.toContain(AUTH_TOKEN);
    });
  }

  it('accepts a valid configuration and names itself twilio', () => {
    expect(createTwilioSmsSender(base).name).toBe('twilio');
  });
});

async function unusedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
