import { createTwilioSmsSender } from '@mfa-kit/twilio-sms';
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { type FakeTwilioServer, httpFailure, startFakeTwilio, twilioError } from '../fakes/twilio-server.js';
import { useExamplePage } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS } from './example-server.js';
import {
  readRecoveryCodes,
  signInWithPassword,
  signOut,
  submitAndNavigate,
  submitForm,
} from './page-helpers.js';

let twilio: FakeTwilioServer;

// Registered before useExamplePage's hooks: vitest runs them as a stack, so the
// fake Twilio API starts before the example app and closes after it.
beforeEach(async () => {
  twilio = await startFakeTwilio();
});
afterEach(async () => {
  await twilio.close();
});

const current = useExamplePage(() => ({
  smsSender: createTwilioSmsSender({
    accountSid: `AC${'0'.repeat(32)}`,
    authToken: 'test',
    from: '+15005550006',
    twilioOptions: twilio.twilioOptions(),
  }),
}));

describe('the example app with the real Twilio sender (fake Twilio API)', {
  timeout: BROWSER_TEST_TIMEOUT_MS,
}, () => {
  it('enrols and signs in by SMS through the twilio SDK, and shows Twilio failures (seed 004)', async () => {
    const { example, page } = current;
    const { baseUrl, clock, mfa } = example;
    const phone = '+14155550142';
    await signInWithPassword(page, baseUrl, 'bob');
    await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enrol-now')]);

    // Twilio answers 21610 (unsubscribed) once: an SMS failure the user must act on.
    twilio.failFor(phone, twilioError(21610), 1);
    await page.fill('#sms-start-form input[name=phone]', phone);
    const unsubscribed = await submitForm(page, '#sms-start-form');
    expect(unsubscribed).toContain('provider error code 21610');
    expect(await page.locator('#sms-start-form .result').getAttribute('data-code')).toBe('SMS_FAILURE');

    expect(await submitForm(page, '#sms-start-form')).toContain('We sent a code to');
    await page.fill('#sms-confirm-form input[name=code]', twilio.lastCodeFor(phone) ?? '');
    await page.click('#sms-confirm-form button');
    expect(await readRecoveryCodes(page)).toHaveLength(10);
    await page.goto(`${baseUrl}/`);
    await signOut(page);

    // Twilio is down (HTTP 500): a provider failure, no attempt charged, logged.
    clock.advance(60_000);
    await signInWithPassword(page, baseUrl, 'bob');
    twilio.failNext(httpFailure(500));
    const down = await submitForm(page, '#sms-send-form');
    expect(await page.locator('#sms-send-form .result').getAttribute('data-code')).toBe('PROVIDER_FAILURE');
    expect(down).toContain('500');
    expect(await submitForm(page, '#sms-send-form')).toContain('We sent a code to');
    await page.fill('#sms-form input[name=code]', twilio.lastCodeFor(phone) ?? '');
    await submitAndNavigate(page, '#sms-form', '/');

    const { events } = await mfa.events.query({ types: ['SMS_FAILURE', 'PROVIDER_FAILURE'] });
    expect(events.map((e) => e.type).sort()).toEqual(['PROVIDER_FAILURE', 'SMS_FAILURE']);
    expect(JSON.stringify(events)).not.toContain('4155550142');
  });
});
