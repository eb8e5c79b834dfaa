import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BROWSER_TEST_TIMEOUT_MS,
  launchChromium,
  type RunningExample,
  startExample,
  totpAt,
} from './example-server.js';
import {
  enrolTotp,
  latestSmsCode,
  readRecoveryCodes,
  signInWithPassword,
  signOut,
  submitAndNavigate,
  submitForm,
} from './page-helpers.js';

let browser: Browser;
let example: RunningExample;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  example = await startExample();
  page = await (await browser.newContext()).newPage();
  page.on('dialog', (dialog) => void dialog.accept());
});
afterEach(async () => {
  await page.context().close();
  await example.close();
});

/** Bob (MFA optional) enrols a phone from the offer page, with the code from the dev inbox. */
async function enrolPhone(phone: string): Promise<void> {
  const { baseUrl } = example;
  await signInWithPassword(page, baseUrl, 'bob');
  await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enrol-now')]);
  await page.fill('#sms-start-form input[name=phone]', phone);
  expect(await submitForm(page, '#sms-start-form')).toContain('We sent a code to +1');
  await page.fill('#sms-confirm-form input[name=code]', await latestSmsCode(page, baseUrl, phone));
  await page.click('#sms-confirm-form button');
  expect(await readRecoveryCodes(page)).toHaveLength(10);
  await page.goto(`${baseUrl}/`);
  await signOut(page);
}

describe('SMS and attempt limits in a browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('signs in with an SMS code from the dev inbox, and shows the resend cooldown', async () => {
    const { baseUrl } = example;
    const phone = '+14155550123';
    await enrolPhone(phone);
    await signInWithPassword(page, baseUrl, 'bob');
    const legend = await page.textContent('#sms-box legend');
    expect(legend).not.toContain('4155550123');
    // The enrolment code was sent moments ago: the resend cooldown applies to sign-in codes too.
    expect(await submitForm(page, '#sms-send-form')).toMatch(
      /Wait before trying again\. Try again in \d+ seconds/,
    );
    example.clock.advance(60_000);
    expect(await submitForm(page, '#sms-send-form')).toContain('We sent a code to');
    const button = page.locator('#sms-send-form button');
    expect(await button.isDisabled()).toBe(true);
    expect(await button.textContent()).toMatch(/available in \d+ s/);
    // The server enforces the cooldown too, whatever the page shows.
    const again = await page.evaluate(async () => {
      const res = await fetch('/api/mfa/sign-in/sms/send', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: res.status, body: (await res.json()) as { error: { retryAfter: number } } };
    });
    expect(again.status).toBe(429);
    expect(again.body.error.retryAfter).toBeGreaterThan(0);

    await page.fill('#sms-form input[name=code]', await latestSmsCode(page, baseUrl, phone));
    await submitAndNavigate(page, '#sms-form', '/');
    expect(await page.textContent('#welcome')).toContain('signed in with SMS');
  });

  it('"It\'s not my phone number" stops SMS, tells the user to contact an admin, and is logged (seed 004)', async () => {
    const { baseUrl, mfa } = example;
    const phone = '+14155550199';
    await enrolPhone(phone);
    await signInWithPassword(page, baseUrl, 'bob');
    const message = await submitForm(page, '#not-my-number-form');
    expect(message).toContain('Contact your administrator');
    const { events } = await mfa.events.query({ types: ['NOT_MY_NUMBER'] });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain('4155550199');
    // The number is gone from the challenge.
    await page.reload();
    expect(await page.locator('#sms-box').count()).toBe(0);
  });

  it('shows SMS and provider failures with the provider code, and logs them (seed 004)', async () => {
    const { baseUrl, mfa } = example;
    await signInWithPassword(page, baseUrl, 'bob');
    await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enrol-now')]);
    await page.fill('#sms-start-form input[name=phone]', '+15005550500');
    const providerDown = await submitForm(page, '#sms-start-form');
    expect(providerDown).toContain('Error Code: 500');
    expect(providerDown).toContain('provider error code 500');
    expect(await page.locator('#sms-start-form .result').getAttribute('data-code')).toBe('PROVIDER_FAILURE');
    await page.fill('#sms-start-form input[name=phone]', '+15005550001');
    const invalid = await submitForm(page, '#sms-start-form');
    expect(invalid).toContain('provider error code 21211');
    expect(await page.locator('#sms-start-form .result').getAttribute('data-code')).toBe('SMS_FAILURE');
    const { events } = await mfa.events.query({ types: ['PROVIDER_FAILURE', 'SMS_FAILURE'] });
    expect(events.map((e) => e.type).sort()).toEqual(['PROVIDER_FAILURE', 'SMS_FAILURE']);
  });

  it('starts a cooldown after 5 wrong codes, refuses even the right code until it ends (seed 004)', async () => {
    const { baseUrl, clock, mfa } = example;
    await signInWithPassword(page, baseUrl, 'alice');
    const { secret } = await enrolTotp(page, clock);
    await page.goto(`${baseUrl}/`);
    await signOut(page);
    await signInWithPassword(page, baseUrl, 'alice');
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.fill('#totp-form input[name=code]', '000000');
      messages.push(await submitForm(page, '#totp-form'));
    }
    expect(messages.slice(0, 4).every((m) => m.includes('The code is not valid'))).toBe(true);
    expect(messages[4]).toContain('Too many failed attempts');
    expect(messages[4]).toMatch(/Try again in 5 minutes/);
    await page.fill('#totp-form input[name=code]', totpAt(secret, clock));
    expect(await submitForm(page, '#totp-form')).toContain('Too many failed attempts');
    expect((await mfa.events.query({ types: ['COOLDOWN_ACTIVATED'] })).events).toHaveLength(1);

    clock.advance(5 * 60_000);
    await page.fill('#totp-form input[name=code]', totpAt(secret, clock));
    await submitAndNavigate(page, '#totp-form', '/');
  });
});
