import { describe, expect, it } from 'vitest';
import { useExamplePage } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS, totpAt } from './example-server.js';
import {
  enrolTotp,
  latestSmsCode,
  PASSWORD,
  readRecoveryCodes,
  signInWithPassword,
  signOut,
  submitAndNavigate,
  submitForm,
} from './page-helpers.js';

const current = useExamplePage();

/**
 * Bob (MFA optional) enrols a phone from the offer page, with the code from
 * the dev inbox; returns the recovery codes shown once.
 */
async function enrolPhone(phone: string): Promise<string[]> {
  const { example, page } = current;
  const { baseUrl } = example;
  await signInWithPassword(page, baseUrl, 'bob');
  await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enrol-now')]);
  await page.fill('#sms-start-form input[name=phone]', phone);
  expect(await submitForm(page, '#sms-start-form')).toContain('We sent a code to +1');
  await page.fill('#sms-confirm-form input[name=code]', await latestSmsCode(page, baseUrl, phone));
  await page.click('#sms-confirm-form button');
  const recoveryCodes = await readRecoveryCodes(page);
  expect(recoveryCodes).toHaveLength(10);
  await page.goto(`${baseUrl}/`);
  await signOut(page);
  return recoveryCodes;
}

/** Clicks "Text me a code" in a Security settings form; returns the message the form shows. */
async function textMeACode(formSelector: string): Promise<string> {
  const { page } = current;
  const result = `${formSelector} .result`;
  await page.locator(result).evaluate((el) => {
    el.textContent = '';
  });
  await page.click(`${formSelector} button[data-sms-send]`);
  await page.locator(result).filter({ hasText: /\S/ }).waitFor();
  return ((await page.textContent(result)) ?? '').trim();
}

describe('SMS and attempt limits in a browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('signs in with an SMS code from the dev inbox, and shows the resend cooldown', async () => {
    const { example, page } = current;
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

  it('lets an SMS-only user regenerate recovery codes and disable MFA with a texted code', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    const phone = '+14155550142';
    const enrolmentCodes = await enrolPhone(phone);
    // Sign in with a texted code, after the enrolment code's resend cooldown.
    await signInWithPassword(page, baseUrl, 'bob');
    clock.advance(60_000);
    expect(await submitForm(page, '#sms-send-form')).toContain('We sent a code to');
    await page.fill('#sms-form input[name=code]', await latestSmsCode(page, baseUrl, phone));
    await submitAndNavigate(page, '#sms-form', '/');

    await page.goto(`${baseUrl}/security`);
    const factors = await page
      .locator('#regenerate-form select[name=factor] option')
      .evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    expect(factors).toEqual(['sms', 'recovery']);
    // The sign-in code was sent moments ago: the resend cooldown is shown as a sentence.
    expect(await textMeACode('#regenerate-form')).toMatch(
      /Wait before trying again\. Try again in \d+ seconds/,
    );
    expect(await page.locator('#regenerate-form .result').getAttribute('data-code')).toBe('RATE_LIMITED');
    clock.advance(60_000);
    expect(await textMeACode('#regenerate-form')).toMatch(
      /^We sent a code to \+1 [^\d]+0142\. Enter it under Code\./,
    );
    expect(await page.locator('#regenerate-form button[data-sms-send]').isDisabled()).toBe(true);
    expect(await page.locator('#regenerate-form select[name=factor]').inputValue()).toBe('sms');
    await page.fill('#regenerate-form input[name=code]', await latestSmsCode(page, baseUrl, phone));
    await page.click('#regenerate-form button[type=submit]');
    const fresh = await readRecoveryCodes(page);
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => enrolmentCodes.includes(code))).toBe(false);
    // Shown once: the settings page doesn't show them again.
    await page.goto(`${baseUrl}/security`);
    expect(await page.locator('#recovery-codes').count()).toBe(0);
    expect(await page.content()).not.toContain(fresh[0] ?? '');
    expect(await page.textContent('#recovery-remaining')).toBe('10');

    // The old set stopped working.
    await page.selectOption('#disable-form select[name=factor]', 'recovery');
    await page.fill('#disable-form input[name=code]', enrolmentCodes[0] ?? '');
    expect(await submitForm(page, '#disable-form')).toContain('The code is not valid');
    // A new texted code turns MFA off (the one used above can't be replayed).
    clock.advance(60_000);
    expect(await textMeACode('#disable-form')).toContain('We sent a code to');
    expect(await page.locator('#disable-form select[name=factor]').inputValue()).toBe('sms');
    await page.fill('#disable-form input[name=code]', await latestSmsCode(page, baseUrl, phone));
    await submitAndNavigate(page, '#disable-form', '/login');
    expect(await page.textContent('.notice')).toContain('signed out everywhere');
    await signInWithPassword(page, baseUrl, 'bob');
    expect(new URL(page.url()).pathname).toBe('/mfa/offer');
    await page.goto(`${baseUrl}/security`);
    expect(await page.textContent('#mfa-state')).toBe('Off');
  });

  it('"It\'s not my phone number" stops SMS, tells the user to contact an admin, and is logged (seed 004)', async () => {
    const { example, page } = current;
    const { baseUrl, mfa } = example;
    const phone = '+14155550199';
    await enrolPhone(phone);
    await signInWithPassword(page, baseUrl, 'bob');
    await submitAndNavigate(page, '#not-my-number-form', '/mfa/not-my-number');
    // SMS was bob's only factor: the page says the account is locked and offers nothing that would fail.
    const message = (await page.textContent('#not-my-number-locked')) ?? '';
    expect(message).toContain('We will not send codes to that number any more');
    expect(message).toContain('locked');
    expect(await page.textContent('main')).toContain('Contact your administrator');
    expect(await page.locator('main form').count()).toBe(0);
    const { events } = await mfa.events.query({ types: ['NOT_MY_NUMBER', 'ACCOUNT_LOCK'] });
    expect(events.map((e) => e.type).sort()).toEqual(['ACCOUNT_LOCK', 'NOT_MY_NUMBER']);
    expect(JSON.stringify(events)).not.toContain('4155550199');
    await page.goto(`${baseUrl}/login`);
    await page.fill('input[name=username]', 'bob');
    await page.fill('input[name=password]', PASSWORD);
    expect(await submitForm(page, '#login-form')).toMatch(/locked/i);
  });

  it('shows SMS and provider failures with the provider code, and logs them (seed 004)', async () => {
    const { example, page } = current;
    const { baseUrl, mfa } = example;
    await signInWithPassword(page, baseUrl, 'bob');
    await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enrol-now')]);
    await page.fill('#sms-start-form input[name=phone]', '+15005550500');
    const providerDown = await submitForm(page, '#sms-start-form');
    expect(providerDown).toContain('Error Code: 500');
    // The provider's code is named once.
    expect(providerDown.match(/500/g)).toHaveLength(1);
    expect(await page.locator('#sms-start-form .result').getAttribute('data-code')).toBe('PROVIDER_FAILURE');
    await page.fill('#sms-start-form input[name=phone]', '+15005550001');
    const invalid = await submitForm(page, '#sms-start-form');
    expect(invalid).toContain('provider error code 21211');
    expect(await page.locator('#sms-start-form .result').getAttribute('data-code')).toBe('SMS_FAILURE');
    const { events } = await mfa.events.query({ types: ['PROVIDER_FAILURE', 'SMS_FAILURE'] });
    expect(events.map((e) => e.type).sort()).toEqual(['PROVIDER_FAILURE', 'SMS_FAILURE']);
  });

  it('starts a cooldown after 5 wrong codes, refuses even the right code until it ends (seed 004)', async () => {
    const { example, page } = current;
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
