import { createRedisBackend } from '@mfa-kit/core/redis';
import { createRedisSessionIndex } from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import type { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRedis, uniquePrefix } from '../harness/index.js';
import { usePages } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS, type RunningExample, startExample, totpAt } from './example-server.js';
import {
  enrolTotp,
  latestSmsCode,
  openInboxWith,
  PASSWORD,
  readRecoveryCodes,
  signInWithPassword,
  submitAndNavigate,
  submitForm,
} from './page-helpers.js';

const { newPage, adminPage: signedInAdmin } = usePages();
let example: RunningExample | null = null;
let redis: Redis | null = null;

afterEach(async () => {
  await example?.close();
  example = null;
  await redis?.quit();
  redis = null;
});

/** An admin (MFA required for the role) signs in and enrols, landing on the Users page. */
function adminPage(running: RunningExample, username = 'alice'): Promise<Page> {
  return signedInAdmin(running, username);
}

/** Posts the password form and returns the message the sign-in page shows. */
async function tryPassword(page: Page, baseUrl: string, username: string, password: string): Promise<string> {
  if (!page.url().endsWith('/login')) await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  return submitForm(page, '#login-form');
}

function row(page: Page, username: string) {
  return page.locator(`#users tr[data-user="${username}"]`);
}

describe('admin pages in a browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('admin reset logs the user out at their next request and re-offers setup (seeds 000, 001; Redis sessions)', async () => {
    redis = createTestRedis();
    const prefix = uniquePrefix('example-browser');
    example = await startExample({
      backend: createRedisBackend({ client: redis, prefix: `${prefix}mfa:`, clockSource: 'caller' }),
      sessionStore: new RedisStore({ client: redis, prefix: `${prefix}sess:` }),
      sessionIndex: createRedisSessionIndex({ client: redis, prefix: `${prefix}mfa:` }),
    });
    const running = example;
    const bob = await newPage();
    await signInWithPassword(bob, running.baseUrl, 'bob');
    await Promise.all([bob.waitForURL('**/mfa/enrol'), bob.click('#enrol-now')]);
    await enrolTotp(bob, running.clock);
    await bob.goto(`${running.baseUrl}/security`);
    expect(await bob.textContent('#mfa-state')).toBe('On');

    const alice = await adminPage(running);
    // No admin resets their own MFA here (issue 6).
    expect(await row(alice, 'alice').locator('button.reset-mfa').isDisabled()).toBe(true);
    await alice.fill('input[name=q]', 'bob');
    await Promise.all([
      alice.waitForURL((url) => url.searchParams.get('q') === 'bob'),
      alice.click('form[action="/admin/users"] button'),
    ]);
    expect(await alice.locator('#users tbody tr').count()).toBe(1);
    expect(await row(alice, 'bob').locator('.mfa').textContent()).toContain('Authenticator app');
    expect(await submitForm(alice, '#users tr[data-user="bob"] form:has(button.reset-mfa)')).toContain(
      'MFA reset for bob',
    );

    await bob.goto(`${running.baseUrl}/security`);
    expect(new URL(bob.url()).pathname).toBe('/login');
    await signInWithPassword(bob, running.baseUrl, 'bob');
    expect(new URL(bob.url()).pathname).toBe('/mfa/offer');
    const { events } = await running.mfa.events.query({ types: ['ADMIN_RESET'] });
    expect(events.map((e) => [e.userId, e.actor?.id])).toEqual([['u2', 'u1']]);
  });

  it('shows the reset action disabled to an admin role without the privilege, and the server agrees (seed 000)', async () => {
    example = await startExample();
    const erin = await newPage();
    await signInWithPassword(erin, example.baseUrl, 'erin');
    await erin.goto(`${example.baseUrl}/admin/users`);
    const reset = row(erin, 'bob').locator('button.reset-mfa');
    expect(await reset.isDisabled()).toBe(true);
    expect(await reset.getAttribute('title')).toContain("doesn't have the MFA reset privilege");
    expect(await row(erin, 'bob').locator('.why').first().textContent()).toContain(
      "doesn't have the MFA reset privilege",
    );
    const forced = await erin.evaluate(async () => {
      const res = await fetch('/api/admin/mfa/users/u2/reset', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return res.status;
    });
    expect(forced).toBe(403);
    // Only the admin's own organisation is listed.
    expect(await row(erin, 'carol').count()).toBe(0);
  });

  it('locks and unlocks an account; a locked user is told to contact their administrator (seed 004)', async () => {
    example = await startExample();
    const running = example;
    const alice = await adminPage(running);
    expect(await submitForm(alice, '#users tr[data-user="bob"] form:has(button.lock)')).toContain(
      'bob is locked',
    );
    const bob = await newPage();
    const refused = await tryPassword(bob, running.baseUrl, 'bob', PASSWORD);
    expect(refused).toContain('Your account is locked. Contact your administrator.');

    await alice.reload();
    expect(await row(alice, 'bob').locator('.limiter').textContent()).toContain('Locked');
    expect(await submitForm(alice, '#users tr[data-user="bob"] form:has(button.unlock)')).toContain(
      'unlocked',
    );
    await signInWithPassword(bob, running.baseUrl, 'bob');
    expect(new URL(bob.url()).pathname).toBe('/mfa/offer');
  });

  it('locks after repeated failed sign-ins and unlocks with the e-mailed link, once (seed 002)', async () => {
    example = await startExample();
    const { baseUrl, clock } = example;
    const bob = await newPage();
    // Wrong passwords, which anyone who knows the username can send, only cool the account down (issue 10).
    for (let i = 0; i < 5; i++) await tryPassword(bob, baseUrl, 'bob', 'wrong');
    expect(await tryPassword(bob, baseUrl, 'bob', PASSWORD)).toContain('Too many failed attempts');
    clock.advance(5 * 60_000);
    // bob has an authenticator; someone who has his password guesses codes: 10 in a row lock the account.
    const user = { id: 'u2', orgId: 'acme', roles: ['user'] };
    const enrolment = await example.mfa.totp.beginEnrolment(user);
    const confirmed = await example.mfa.totp.confirmEnrolment(
      user,
      enrolment.sealedSecret,
      totpAt(enrolment.secret, clock),
      {},
    );
    expect(confirmed.ok).toBe(true);
    clock.advance(30_000);
    let last = '';
    for (let round = 0; round < 2; round++) {
      await signInWithPassword(bob, baseUrl, 'bob');
      for (let i = 0; i < 5; i++) {
        await bob.fill('#totp-form input[name=code]', '000000');
        last = await submitForm(bob, '#totp-form');
      }
      if (round === 0) clock.advance(5 * 60_000);
    }
    expect(last).toContain('Your account is locked');
    expect(await tryPassword(bob, baseUrl, 'bob', PASSWORD)).toContain('Your account is locked');

    await bob.click('#login-form .result a[href="/unlock"]');
    await bob.waitForURL('**/unlock');
    await bob.fill('#unlock-request-form input[name=identifier]', 'bob');
    expect(await submitForm(bob, '#unlock-request-form')).toContain('If this account is locked');
    await openInboxWith(bob, baseUrl, 'tr.message.email[data-to="bob@acme.test"]');
    const link = bob.locator('tr.message.email[data-to="bob@acme.test"] a.link').first();
    const href = (await link.getAttribute('href')) ?? '';
    await link.click();
    await bob.waitForURL('**/unlock/redeem**');
    await submitAndNavigate(bob, '#unlock-redeem-form', '/login');
    expect(await bob.textContent('.notice')).toContain('Your account is unlocked');
    await signInWithPassword(bob, baseUrl, 'bob');
    expect(new URL(bob.url()).pathname).toBe('/mfa/challenge');

    await bob.goto(`${baseUrl}${href}`);
    expect(await submitForm(bob, '#unlock-redeem-form')).toContain('invalid, expired or already used');
    // Asking for an unknown user looks exactly the same.
    await bob.goto(`${baseUrl}/unlock`);
    await bob.fill('#unlock-request-form input[name=identifier]', 'nobody');
    expect(await submitForm(bob, '#unlock-request-form')).toContain('If this account is locked');
  });

  it('resets the 1-hour SMS setup cooldown so the user can enrol a phone at once (seed 004)', async () => {
    example = await startExample();
    const running = example;
    const { baseUrl } = running;
    const bob = await newPage();
    await signInWithPassword(bob, baseUrl, 'bob');
    await Promise.all([bob.waitForURL('**/mfa/enrol'), bob.click('#enrol-now')]);
    await bob.fill('#sms-start-form input[name=phone]', '+14155550111');
    await submitForm(bob, '#sms-start-form');
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      await bob.fill('#sms-confirm-form input[name=code]', '000000');
      answers.push(await submitForm(bob, '#sms-confirm-form'));
    }
    expect(answers.at(-1)).toMatch(/Try again in 60 minutes/);
    running.clock.advance(61_000);
    await bob.reload(); // re-enables the "Send code" button the page disabled for the resend countdown
    await bob.fill('#sms-start-form input[name=phone]', '+14155550111');
    expect(await submitForm(bob, '#sms-start-form')).toMatch(/Try again in (59|60) minutes/);

    const alice = await adminPage(running);
    expect(await row(alice, 'bob').locator('.limiter').textContent()).toContain('sms-setup until');
    await row(alice, 'bob').locator('select[name=which]').selectOption('sms-setup');
    expect(await submitForm(alice, '#users tr[data-user="bob"] form:has(button.reset-cooldowns)')).toContain(
      'Cooldowns cleared for bob',
    );
    await bob.reload();
    await bob.fill('#sms-start-form input[name=phone]', '+14155550111');
    expect(await submitForm(bob, '#sms-start-form')).toContain('We sent a code to');
    await bob.fill('#sms-confirm-form input[name=code]', await latestSmsCode(bob, baseUrl, '+14155550111'));
    await bob.click('#sms-confirm-form button');
    expect(await readRecoveryCodes(bob)).toHaveLength(10);
  });

  it('filters the MFA error log by type, text and date, and exports CSV (seed 004)', async () => {
    example = await startExample();
    const running = example;
    const { baseUrl } = running;
    const frank = await newPage();
    for (let i = 0; i < 5; i++) await tryPassword(frank, baseUrl, 'frank', 'wrong');
    const bob = await newPage();
    await signInWithPassword(bob, baseUrl, 'bob');
    await Promise.all([bob.waitForURL('**/mfa/enrol'), bob.click('#enrol-now')]);
    await bob.fill('#sms-start-form input[name=phone]', '+15005550500');
    expect(await submitForm(bob, '#sms-start-form')).toContain('Error Code: 500');

    const alice = await adminPage(running);
    await alice.goto(`${baseUrl}/admin/logs`);
    const labels = await alice.locator('#log-filter select[name=type] option').allTextContents();
    for (const label of [
      'Account Lock',
      'Cooldown Activated',
      'MFA Provider Failure',
      'Not My Number',
      'SMS failure',
    ])
      expect(labels).toContain(label);

    await alice.selectOption('#log-filter select[name=type]', { label: 'Cooldown Activated' });
    await Promise.all([alice.waitForURL('**/admin/logs?**'), alice.click('#log-filter button')]);
    const cooldownTypes = await alice
      .locator('#events tr.event')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
    expect(cooldownTypes).toEqual(['COOLDOWN_ACTIVATED']);

    await alice.selectOption('#log-filter select[name=type]', { label: 'MFA Provider Failure' });
    await Promise.all([alice.waitForURL('**type=PROVIDER_FAILURE**'), alice.click('#log-filter button')]);
    expect(await alice.locator('#events tr.event').count()).toBe(1);
    expect(await alice.textContent('#events')).toContain('500');

    const csvHref = (await alice.getAttribute('#csv-export', 'href')) ?? '';
    const csv = await (await alice.request.get(`${baseUrl}${csvHref}`)).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('type');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('PROVIDER_FAILURE');
    expect(csv).not.toContain('5005550500');

    await alice.selectOption('#log-filter select[name=type]', '');
    await alice.fill('#log-filter input[name=q]', 'password');
    await Promise.all([alice.waitForURL('**q=password**'), alice.click('#log-filter button')]);
    expect(await alice.locator('#events tr.event[data-type="COOLDOWN_ACTIVATED"]').count()).toBe(1);

    await alice.fill('#log-filter input[name=q]', '');
    await alice.fill('#log-filter input[name=until]', '2001-01-01');
    await Promise.all([alice.waitForURL('**until=2001-01-01**'), alice.click('#log-filter button')]);
    expect(await alice.textContent('#no-records')).toContain('No records available');
  });

  it('makes a role require MFA and rolls MFA out to another organisation from the policy page (seeds 000, 003)', async () => {
    example = await startExample();
    const running = example;
    const { baseUrl } = running;
    const owen = await adminPage(running, 'owen');
    await owen.goto(`${baseUrl}/admin/policy`);
    await owen.check('#policy-form input[name="requiredRoles[]"][value=user]');
    await owen.check('#policy-form input[name="rolloutOrgs[]"][value=globex]');
    const saved = await submitForm(owen, '#policy-form');
    expect(saved).toContain('Policy saved');

    const frank = await newPage();
    await signInWithPassword(frank, baseUrl, 'frank');
    expect(new URL(frank.url()).pathname).toBe('/mfa/enrol');
    expect(await frank.textContent('#forced-notice')).toContain('required for your role (user)');

    const carol = await newPage();
    await signInWithPassword(carol, baseUrl, 'carol');
    expect(new URL(carol.url()).pathname).toBe('/mfa/enrol');

    const { events } = await running.mfa.events.query({ types: ['POLICY_CHANGED'] });
    expect(events).toHaveLength(1);
  });

  it('gives users of a newly required role a grace period of sign-ins, then forces enrolment', async () => {
    example = await startExample();
    const running = example;
    const { baseUrl } = running;
    const owen = await adminPage(running, 'owen');
    await owen.goto(`${baseUrl}/admin/policy`);
    await owen.check('#policy-form input[name="requiredRoles[]"][value=user]');
    await owen.fill('#policy-form input[name=graceSignIns]', '1');
    expect(await submitForm(owen, '#policy-form')).toContain('Policy saved');

    const frank = await newPage();
    await signInWithPassword(frank, baseUrl, 'frank');
    expect(new URL(frank.url()).pathname).toBe('/mfa/offer');
    expect(await frank.textContent('#grace-notice')).toContain('This was your last sign-in without it');
    expect(await frank.locator('#decline-form').count()).toBe(0);
    await frank.goto(`${baseUrl}/`);
    await frank.click('nav form button');
    await frank.waitForURL('**/login?m=signed-out');
    await signInWithPassword(frank, baseUrl, 'frank');
    expect(new URL(frank.url()).pathname).toBe('/mfa/enrol');
    expect(await frank.textContent('#forced-notice')).toContain('required for your role (user)');
  });

  it('an organisation admin changes only their own organisation in the policy', async () => {
    example = await startExample();
    const alice = await adminPage(example);
    await alice.goto(`${example.baseUrl}/admin/policy`);
    expect(await alice.textContent('#scope-note')).toContain('You manage acme only');
    expect(await alice.locator('#policy-form input[name="rolloutOrgs[]"][value=globex]').count()).toBe(0);
    await alice.check('#policy-form input[name="requiredOrgs[]"][value=acme]');
    expect(await submitForm(alice, '#policy-form')).toContain('Policy saved');
    const policy = await example.mfa.admin.getPolicy();
    expect(policy.requiredOrgs).toEqual(['acme']);
    expect(policy.requiredRoles).toEqual(['admin', 'owner']);
  });
});
