import { describe, expect, it } from 'vitest';
import { useExamplePage } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS, totpAt } from './example-server.js';
import { enrolTotp, signInWithPassword, submitAndNavigate } from './page-helpers.js';

const current = useExamplePage();

describe('"Confirm it\'s you" before factors change (issue 9)', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('a session whose proof is stale is asked for a current code, then changes the phone', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    await signInWithPassword(page, baseUrl, 'alice');
    const { secret } = await enrolTotp(page, clock);
    clock.advance(300_001);
    await page.goto(`${baseUrl}/mfa/enrol`);
    await page.fill('#sms-start-form input[name=phone]', '+14155550123');
    // The refused phone change (403 MFA_REQUIRED, stepUp) becomes the confirmation page.
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/confirm'),
      page.click('#sms-start-form button[type=submit]'),
    ]);
    expect(await page.textContent('#confirm-intro')).toContain('confirm it is you');
    expect(await example.mfa.status({ id: 'u1' })).toMatchObject({ sms: null });
    await page.fill('#confirm-form input[name=code]', totpAt(secret, clock));
    await submitAndNavigate(page, '#confirm-form', '/mfa/enrol');
    await page.fill('#sms-start-form input[name=phone]', '+14155550123');
    await page.click('#sms-start-form button[type=submit]');
    await page
      .locator('#sms-start-form .result')
      .filter({ hasText: /We sent a code/ })
      .waitFor();
  });
});
