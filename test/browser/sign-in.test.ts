import { describe, expect, it } from 'vitest';
import { useExamplePage } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS, totpAt } from './example-server.js';
import {
  enrolTotp,
  readRecoveryCodes,
  signInWithPassword,
  signOut,
  submitAndNavigate,
  submitForm,
} from './page-helpers.js';

const current = useExamplePage();

describe('sign-in flows in a browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('forces an admin to enrol (seeds 002/003), enrols TOTP from the QR page, then signs in with TOTP', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    await signInWithPassword(page, baseUrl, 'alice');
    expect(new URL(page.url()).pathname).toBe('/mfa/enrol');
    expect(await page.textContent('#forced-notice')).toContain('required for your role');
    await page.locator('#totp-secret').filter({ hasText: /\S/ }).waitFor();
    expect(await page.locator('img[alt^="QR code"]').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.locator('img[alt^="QR code"]').isVisible()).toBe(true);
    // Forced enrolment: nothing else opens.
    for (const path of ['/security', '/admin/users', '/admin/logs', '/']) {
      await page.goto(`${baseUrl}${path}`);
      expect(await page.locator('#welcome').count()).toBe(0);
      if (path !== '/') expect(new URL(page.url()).pathname).toBe('/mfa/enrol');
    }
    await page.goto(`${baseUrl}/mfa/enrol`);
    const { secret, recoveryCodes } = await enrolTotp(page, clock);
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes)
      expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    // Shown once: no page shows them again.
    for (const path of ['/', '/security']) {
      await page.goto(`${baseUrl}${path}`);
      expect(await page.content()).not.toContain(recoveryCodes[0]);
    }

    await signOut(page);
    await signInWithPassword(page, baseUrl, 'alice');
    expect(new URL(page.url()).pathname).toBe('/mfa/challenge');
    await page.fill('#totp-form input[name=code]', '000000');
    expect(await submitForm(page, '#totp-form')).toContain('The code is not valid');
    await page.fill('#totp-form input[name=code]', totpAt(secret, clock));
    await submitAndNavigate(page, '#totp-form', '/');
    expect(await page.textContent('#welcome')).toContain('signed in with TOTP');
  });

  it('offers optional enrolment with "decline for now", and MFA can be enabled later (seed 000)', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    await signInWithPassword(page, baseUrl, 'bob');
    expect(new URL(page.url()).pathname).toBe('/mfa/offer');
    await submitAndNavigate(page, '#decline-form', '/');
    expect(await page.textContent('.notice')).toContain('turn on multi-factor authentication later');
    await page.goto(`${baseUrl}/security`);
    expect(await page.textContent('#mfa-state')).toBe('Off');
    await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enable-mfa')]);
    await enrolTotp(page, clock);
    await page.goto(`${baseUrl}/security`);
    expect(await page.textContent('#mfa-state')).toBe('On');
    expect(await page.textContent('#recovery-remaining')).toBe('10');
  });

  it('never shows MFA to a user of an organisation that is not rolled out yet (seed 000)', async () => {
    const { example, page } = current;
    const { baseUrl } = example;
    await signInWithPassword(page, baseUrl, 'carol');
    expect(new URL(page.url()).pathname).toBe('/');
    await page.goto(`${baseUrl}/security`);
    expect(await page.textContent('#mfa-requirement')).toContain('not available for your organisation yet');
    expect(await page.locator('#enable-mfa').count()).toBe(0);
  });

  it('signs in with a recovery code, then self-resets with a different one and re-enrols (seed 001)', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    await signInWithPassword(page, baseUrl, 'bob');
    await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enrol-now')]);
    const { recoveryCodes } = await enrolTotp(page, clock);
    const [first, second] = recoveryCodes as [string, string];
    await page.goto(`${baseUrl}/`);
    await signOut(page);

    await signInWithPassword(page, baseUrl, 'bob');
    await page.fill('#recovery-form input[name=code]', first.toUpperCase());
    await submitAndNavigate(page, '#recovery-form', '/');
    expect(await page.textContent('.notice')).toContain('9 recovery codes left');

    await page.goto(`${baseUrl}/security`);
    await page.selectOption('#disable-form select[name=factor]', 'recovery');
    await page.fill('#disable-form input[name=code]', first);
    expect(await submitForm(page, '#disable-form')).toContain('The code is not valid');
    await page.fill('#disable-form input[name=code]', second);
    await submitAndNavigate(page, '#disable-form', '/login');
    expect(await page.textContent('.notice')).toContain('signed out everywhere');
    // The old session is gone: protected pages send the user to sign in.
    await page.goto(`${baseUrl}/security`);
    expect(new URL(page.url()).pathname).toBe('/login');

    await signInWithPassword(page, baseUrl, 'bob');
    expect(new URL(page.url()).pathname).toBe('/mfa/offer');
    await Promise.all([page.waitForURL('**/mfa/enrol'), page.click('#enrol-now')]);
    await enrolTotp(page, clock);
    await page.goto(`${baseUrl}/security`);
    expect(await page.textContent('#mfa-state')).toBe('On');
  });

  it('refuses to disable MFA when the role requires it (seed 002)', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    await signInWithPassword(page, baseUrl, 'alice');
    const { secret } = await enrolTotp(page, clock);
    await page.goto(`${baseUrl}/security`);
    // The page says why and offers no working control (issue 12: no active form next to "can't").
    expect(await page.textContent('#disable-why')).toContain("requires MFA, so it can't be turned off");
    expect(await page.locator('#disable-form button[type=submit]').isDisabled()).toBe(true);
    // The server refuses too, even when the request is sent anyway.
    const refused = await page.evaluate(
      async (code) => {
        const res = await fetch('/api/mfa/disable', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ factor: 'totp', code }),
        });
        return { status: res.status, body: (await res.json()) as { error: { code: string } } };
      },
      totpAt(secret, clock),
    );
    expect(refused.body.error.code).toBe('POLICY_FORBIDS');
    await page.reload();
    expect(await page.textContent('#mfa-state')).toBe('On');
  });

  it('regenerates recovery codes with a fresh code; the old set stops working', async () => {
    const { example, page } = current;
    const { baseUrl, clock } = example;
    await signInWithPassword(page, baseUrl, 'alice');
    const { secret, recoveryCodes } = await enrolTotp(page, clock);
    await page.goto(`${baseUrl}/security`);
    await page.selectOption('#regenerate-form select[name=factor]', 'totp');
    await page.fill('#regenerate-form input[name=code]', totpAt(secret, clock));
    await page.click('#regenerate-form button');
    const fresh = await readRecoveryCodes(page);
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c.trim()))).toBe(false);

    await signOut(page);
    await signInWithPassword(page, baseUrl, 'alice');
    await page.fill('#recovery-form input[name=code]', recoveryCodes[0] ?? '');
    expect(await submitForm(page, '#recovery-form')).toContain('The code is not valid');
    await page.fill('#recovery-form input[name=code]', fresh[0]?.trim() ?? '');
    await submitAndNavigate(page, '#recovery-form', '/');
  });

  it('shows "session expired" when the challenge is answered after 10 minutes (seed 004)', async () => {
    const { example, page } = current;
    const { baseUrl, clock, mfa } = example;
    await signInWithPassword(page, baseUrl, 'alice');
    const { secret } = await enrolTotp(page, clock);
    await page.goto(`${baseUrl}/`);
    await signOut(page);
    await signInWithPassword(page, baseUrl, 'alice');
    clock.advance(10 * 60_000 + 1_000);
    await page.fill('#totp-form input[name=code]', totpAt(secret, clock));
    expect(await submitForm(page, '#totp-form')).toContain('Your session expired. Sign in again.');
    await page.goto(`${baseUrl}/mfa/challenge`);
    expect(new URL(page.url()).pathname).toBe('/login');
    const page1 = await mfa.events.query({ types: ['SESSION_EXPIRED'] });
    expect(page1.events.map((e) => e.userId)).toEqual(['u1']);
  });
});
