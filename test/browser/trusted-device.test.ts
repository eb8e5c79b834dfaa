// "Trust this device for 30 days" in Chromium (issue 14): tick the box with the code, sign in again
// without a code, see the device under "Trusted devices", revoke it, and be asked for a code again.
import { describe, expect, it } from 'vitest';
import { useExamplePage } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS, totpAt } from './example-server.js';
import { enrolTotp, signInWithPassword, signOut, submitAndNavigate } from './page-helpers.js';

const current = useExamplePage();

describe('"Trust this device" (issue 14)', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('the checkbox trusts the browser: the next sign-in skips the code until the device is revoked', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    await signInWithPassword(page, baseUrl, 'alice');
    const { secret } = await enrolTotp(page, clock);
    await page.click('#continue');
    await signOut(page);

    await signInWithPassword(page, baseUrl, 'alice');
    expect(new URL(page.url()).pathname).toBe('/mfa/challenge');
    expect(await page.textContent('#totp-form label.trust')).toContain('Trust this device for 30 days');
    await page.check('#totp-form input[name=trustDevice]');
    await page.fill('#totp-form input[name=code]', totpAt(secret, clock));
    await submitAndNavigate(page, '#totp-form', '/');
    clock.advance(30_000);

    const cookie = (await page.context().cookies()).find((c) => c.name === 'mfa-trusted');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 29 * 24 * 3600);

    await signOut(page);
    await signInWithPassword(page, baseUrl, 'alice');
    expect(new URL(page.url()).pathname).toBe('/');

    await page.goto(`${baseUrl}/security/devices`);
    expect(await page.locator('#devices tbody tr').count()).toBe(1);
    expect(await page.textContent('#devices tbody tr')).toContain('Chrome');
    await submitAndNavigate(page, '#devices form.revoke-device', '/security/devices');
    await page.locator('#no-devices').waitFor();
    expect((await page.context().cookies()).find((c) => c.name === 'mfa-trusted')).toBeUndefined();

    await signOut(page);
    await signInWithPassword(page, baseUrl, 'alice');
    expect(new URL(page.url()).pathname).toBe('/mfa/challenge');
  });
});
