// Issue 12: the seed flows that were missing from the example app, driven in
// Chromium as their users would, in memory and on Redis (and the sign-in,
// reset and lock flows once on a Redis Cluster, below): role change in both
// directions (seed 003), log search by what an admin sees (seed 004), "not my
// number" (seed 004), Twilio failures through the real sender against the dev
// fake Twilio API, and the security notifications in the dev inbox.
// The memory run saves the screenshots the README shows (test/browser/screenshots.ts).
import type { Cluster, Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevInbox } from '../../examples/example-app/src/dev/dev-inbox.js';
import { type DevTwilio, startDevTwilio } from '../../examples/example-app/src/dev/dev-twilio.js';
import { redisStores } from '../../examples/example-app/src/redis-wiring.js';
import { createTestCluster, createTestRedis, uniquePrefix } from '../harness/index.js';
import { usePages } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS, type RunningExample, startExample, totpAt } from './example-server.js';
import {
  enrolTotp,
  latestSmsCode,
  openInboxWith,
  PASSWORD,
  readRecoveryCodes,
  signInWithPassword,
  signOut,
  submitAndNavigate,
  submitForm,
} from './page-helpers.js';
import { screenshot } from './screenshots.js';

const { newPage, adminPage } = usePages();
let example: RunningExample | null = null;
let client: Redis | Cluster | null = null;
let devTwilio: DevTwilio | null = null;

afterEach(async () => {
  await example?.close();
  example = null;
  await devTwilio?.close();
  devTwilio = null;
  await client?.quit();
  client = null;
});

function path(page: Page): string {
  return new URL(page.url()).pathname;
}

function row(page: Page, username: string) {
  return page.locator(`#users tr[data-user="${username}"]`);
}

/** Opens the error log with a search text (and a type), like an admin typing in the filter form. */
async function searchLog(page: Page, baseUrl: string, q: string, type = ''): Promise<void> {
  await page.goto(`${baseUrl}/admin/logs`);
  await page.fill('#log-filter input[name=q]', q);
  if (type !== '') await page.selectOption('#log-filter select[name=type]', type);
  await Promise.all([page.waitForURL('**/admin/logs?**'), page.click('#log-filter button')]);
}

/** Messages in the dev inbox to `to`, as subject lines. */
async function inboxSubjects(page: Page, baseUrl: string, to: string): Promise<string[]> {
  await page.goto(`${baseUrl}/dev/inbox`);
  return (await page.locator(`tr.message.email[data-to="${to}"] strong`).allTextContents()).map((s) =>
    s.trim(),
  );
}

/** Enrols a phone for the signed-in user on the enrolment page, with the code from the dev inbox. */
async function enrolPhone(page: Page, baseUrl: string, phone: string): Promise<void> {
  await page.fill('#sms-start-form input[name=phone]', phone);
  expect(await submitForm(page, '#sms-start-form')).toContain('We sent a code to');
  await page.fill('#sms-confirm-form input[name=code]', await latestSmsCode(page, baseUrl, phone));
  await page.click('#sms-confirm-form button');
  expect(await readRecoveryCodes(page)).toHaveLength(10);
}

interface Backend {
  name: string;
  shots: boolean;
  stores(): Parameters<typeof startExample>[0];
}

const BACKENDS: Backend[] = [
  { name: 'memory', shots: true, stores: () => ({}) },
  {
    name: 'Redis',
    shots: false,
    stores: () => {
      const redis = createTestRedis();
      client = redis;
      // The flows move the example's clock (cooldowns, send limits): the limiter follows it.
      return redisStores(redis, uniquePrefix('seed-flows'), 'caller');
    },
  },
];

describe.each(BACKENDS)(
  'issue 12 seed flows in a browser ($name)',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  (backend) => {
    const shot = (page: Page, name: string) => (backend.shots ? screenshot(page, name) : Promise.resolve());

    it('role change in both directions: required at the next request, and a sign-in without MFA (seed 003)', async () => {
      example = await startExample(backend.stores());
      const running = example;
      const { baseUrl, clock } = running;
      const owen = await adminPage(running, 'owen');

      // bob's role does not require MFA: signed in, offered optional set-up.
      const bob = await newPage();
      await signInWithPassword(bob, baseUrl, 'bob');
      expect(path(bob)).toBe('/mfa/offer');
      await bob.goto(`${baseUrl}/`);
      expect(await bob.textContent('#welcome')).toContain('Welcome, Bob User');

      // The owner makes bob an admin: bob's very next request goes to MFA set-up, and nothing else opens.
      await row(owen, 'bob').locator('select[name=role]').selectOption('admin');
      expect(await submitForm(owen, '#users tr[data-user="bob"] form.change-role')).toContain(
        "bob's role is changed",
      );
      await bob.goto(`${baseUrl}/`);
      expect(path(bob)).toBe('/mfa/enrol');
      expect(await bob.textContent('#forced-notice')).toContain('required for your role');
      await bob.goto(`${baseUrl}/security`);
      expect(path(bob)).toBe('/mfa/enrol');
      await enrolTotp(bob, clock);
      await bob.goto(`${baseUrl}/security`);
      expect(await bob.textContent('#mfa-state')).toBe('On');

      // alice (admin) has no device: her role forces set-up at sign-in. The owner changes her role
      // to one that does not require MFA, and she signs in without it (seed 003).
      const alice = await newPage();
      await signInWithPassword(alice, baseUrl, 'alice');
      expect(path(alice)).toBe('/mfa/enrol');
      expect(await alice.locator('nav').textContent()).toContain('Signing in as alice');
      expect(await alice.locator('nav a[href="/login"]').count()).toBe(0);
      await Promise.all([alice.waitForURL('**/login?m=signed-out'), alice.click('nav form button')]);
      await owen.reload();
      await row(owen, 'alice').locator('select[name=role]').selectOption('user');
      await submitForm(owen, '#users tr[data-user="alice"] form.change-role');
      await owen.reload();
      expect(await row(owen, 'alice').locator('.roles').textContent()).toContain('MFA optional');
      await shot(owen, 'users');
      await signInWithPassword(alice, baseUrl, 'alice');
      expect(path(alice)).toBe('/mfa/offer');

      // Audited with the actor, and readable in the error log.
      const { events } = await running.mfa.events.query({ types: ['ROLE_CHANGED'] });
      expect(events.map((e) => [e.userId, e.actor?.id, e.details])).toEqual([
        ['u1', 'u7', { before: ['admin'], after: ['user'] }],
        ['u2', 'u7', { before: ['user'], after: ['admin'] }],
      ]);
      await owen.goto(`${baseUrl}/admin/policy`);
      await shot(owen, 'policy');
      await searchLog(owen, baseUrl, 'Alice Admin', 'ROLE_CHANGED');
      expect(await owen.textContent('#events .summary')).toBe(
        'Roles changed by admin Owen Owner: admin → user',
      );
    });

    it('searches the error log by display name and e-mail, only in the admin’s organisation (seed 004)', async () => {
      example = await startExample(backend.stores());
      const running = example;
      const { baseUrl } = running;
      const alice = await adminPage(running, 'alice');
      await shot(alice, 'users-admin');
      expect(await submitForm(alice, '#users tr[data-user="frank"] form:has(button.lock)')).toContain(
        'frank is locked',
      );
      // Another organisation's user, locked by their own admin.
      await running.mfa.admin.lock(
        { kind: 'admin', id: 'u4' },
        { id: 'u3', orgId: 'globex', roles: ['user'], label: 'carol@globex.test' },
      );

      for (const q of ['Frank User', 'frank@acme.test', 'frank']) {
        await searchLog(alice, baseUrl, q, 'ACCOUNT_LOCK');
        expect(await alice.locator('#events tr.event').count()).toBe(1);
        expect(await alice.textContent('#events tr.event .user')).toBe('Frank User');
        expect(await alice.textContent('#events tr.event .summary')).toBe('Locked by admin Alice Admin');
      }
      // Raw JSON on demand.
      await alice.click('#events tr.event details summary');
      expect(await alice.textContent('#events tr.event details pre')).toContain('"type": "ACCOUNT_LOCK"');
      await shot(alice, 'error-log');
      // The same sentence in the CSV export.
      const csvHref = (await alice.getAttribute('#csv-export', 'href')) ?? '';
      expect(await (await alice.request.get(`${baseUrl}${csvHref}`)).text()).toContain(
        ',Locked by admin Alice Admin\r\n',
      );
      // Carol is in globex: alice's search never finds her events, by name or e-mail.
      for (const q of ['Carol Globex', 'carol@globex.test']) {
        await searchLog(alice, baseUrl, q);
        expect(await alice.locator('#no-records').count()).toBe(1);
      }
    });

    it('"It\'s not my phone number" on an SMS-only account: says it is locked, offers nothing that fails, logs both (seed 004)', async () => {
      example = await startExample(backend.stores());
      const running = example;
      const { baseUrl } = running;
      const phone = '+14155550199';
      const bob = await newPage();
      await signInWithPassword(bob, baseUrl, 'bob');
      await Promise.all([bob.waitForURL('**/mfa/enrol'), bob.click('#enrol-now')]);
      await enrolPhone(bob, baseUrl, phone);
      await bob.goto(`${baseUrl}/`);
      await signOut(bob);
      await signInWithPassword(bob, baseUrl, 'bob');
      expect(path(bob)).toBe('/mfa/challenge');
      await shot(bob, 'challenge-sms');
      await submitAndNavigate(bob, '#not-my-number-form', '/mfa/not-my-number');
      expect(await bob.textContent('#not-my-number-locked')).toContain('your account is now locked');
      expect(await bob.locator('main form').count()).toBe(0);
      await shot(bob, 'not-my-number');

      const alice = await adminPage(running, 'alice');
      await searchLog(alice, baseUrl, 'bob@acme.test');
      const summaries = await alice.locator('#events tr.event .summary').allTextContents();
      expect(summaries).toContain(
        'The user said +1 ••• ••• 0199 is not their number; no more codes are sent there',
      );
      expect(summaries).toContain(
        'Locked until an admin unlocks it: the user said the text-message number is not theirs, and it was their only factor',
      );
      expect(await alice.textContent('#events')).not.toContain('4155550199');
    });

    it('shows every Twilio failure of the real sender against the dev Twilio API; a 500 charges no attempt', async () => {
      const inbox = createDevInbox({ now: () => Date.now() });
      devTwilio = await startDevTwilio({ inbox, timeoutMs: 2_000 });
      example = await startExample({ ...backend.stores(), inbox, smsSender: devTwilio.sender });
      const running = example;
      const { baseUrl, mfa } = running;
      const bob = await newPage();
      await signInWithPassword(bob, baseUrl, 'bob');
      await Promise.all([bob.waitForURL('**/mfa/enrol'), bob.click('#enrol-now')]);
      expect(await bob.textContent('#dev-numbers')).toContain('+15005550500');

      const tried: Array<[string, string, string]> = [
        ['+15005550500', 'PROVIDER_FAILURE', '500'],
        ['+15005550001', 'SMS_FAILURE', '21211'],
        ['+15005550004', 'SMS_FAILURE', '21610'],
        ['+15005550429', 'PROVIDER_FAILURE', '20429'],
        ['+15005550408', 'PROVIDER_FAILURE', 'ETIMEDOUT'],
      ];
      for (const [number, code, providerCode] of tried) {
        await bob.fill('#sms-start-form input[name=phone]', number);
        const message = await submitForm(bob, '#sms-start-form');
        expect(await bob.locator('#sms-start-form .result').getAttribute('data-code')).toBe(code);
        // The provider's code is named once.
        expect(message.split(providerCode).length - 1).toBe(1);
        if (number === '+15005550500') await shot(bob, 'twilio-500');
      }
      const status = await mfa.status({ id: 'u2', orgId: 'acme', roles: ['user'] });
      expect(status.limiter.consecutiveFailures).toBe(0);
      expect(status.limiter.families['sms-setup']?.failures ?? 0).toBe(0);
      const { events } = await mfa.events.query({ types: ['PROVIDER_FAILURE'] });
      expect(
        events.map((e) => (e.type === 'PROVIDER_FAILURE' ? String(e.details.providerCode) : '')).sort(),
      ).toEqual(['20429', '500', 'ETIMEDOUT']);

      // A working number goes through the same sender; the fake delivers to the dev inbox. (Every
      // send above counted toward the 5 SMS per user per hour, failed or not: wait out the hour.)
      // Signing in again gives the fresh password step a first factor needs.
      running.clock.advance(60 * 60_000 + 1000);
      await bob.goto(`${baseUrl}/`);
      await signOut(bob);
      await signInWithPassword(bob, baseUrl, 'bob');
      await Promise.all([bob.waitForURL('**/mfa/enrol'), bob.click('#enrol-now')]);
      await enrolPhone(bob, baseUrl, '+14155550142');
      const alice = await adminPage(running, 'alice');
      await searchLog(alice, baseUrl, 'Bob User', 'PROVIDER_FAILURE');
      expect(await alice.locator('#events tr.event .summary').allTextContents()).toContainEqual(
        expect.stringContaining('Provider failure: Twilio 500 sending to +1 ••• ••• 0500.'),
      );
    });

    it('delivers each security notification to the dev inbox, with no code or secret in it', async () => {
      example = await startExample(backend.stores());
      const running = example;
      const { baseUrl, clock, mfa } = running;
      const alice = await newPage();
      await signInWithPassword(alice, baseUrl, 'alice');
      await alice.locator('#totp-secret').filter({ hasText: /\S/ }).waitFor();
      await shot(alice, 'enrol-qr');
      const { secret, recoveryCodes } = await enrolTotp(alice, clock);
      // Signed in now: the navigation no longer offers to cancel a sign-in (nor to sign in).
      expect(await alice.locator('nav').textContent()).not.toMatch(/Signing in as|Cancel sign-in|Sign in/);
      await shot(alice, 'recovery-codes');
      // Regenerate recovery codes with a fresh authenticator code.
      await alice.goto(`${baseUrl}/security`);
      await alice.selectOption('#regenerate-form select[name=factor]', 'totp');
      await alice.fill('#regenerate-form input[name=code]', totpAt(secret, clock));
      await alice.click('#regenerate-form button');
      const fresh = await readRecoveryCodes(alice);
      clock.advance(30_000);
      await alice.goto(`${baseUrl}/security`);
      await shot(alice, 'security-settings');
      await signOut(alice);
      await shot(alice, 'sign-in');

      // Right password, wrong codes: the cooldown, and "someone may know your password".
      await signInWithPassword(alice, baseUrl, 'alice');
      await shot(alice, 'challenge');
      const answers: string[] = [];
      for (let i = 0; i < 5; i++) {
        await alice.fill('#totp-form input[name=code]', '000000');
        answers.push(await submitForm(alice, '#totp-form'));
      }
      expect(answers.at(-1)).toContain('Too many failed attempts');
      await shot(alice, 'cooldown');
      // Recovery codes used until three are left (through mfa-kit, as sign-ins elsewhere would).
      const user = { id: 'u1', orgId: 'acme', roles: ['admin'] };
      for (const code of fresh.slice(0, 7))
        expect(await mfa.verify(user, 'recovery', code, {})).toMatchObject({ ok: true });

      // An admin locks, then resets alice.
      const owen = await adminPage(running, 'owen');
      await submitForm(owen, '#users tr[data-user="alice"] form:has(button.lock)');
      await owen.reload();
      await submitForm(owen, '#users tr[data-user="alice"] form:has(button.reset-mfa)');
      const bob = await newPage();
      await bob.goto(`${baseUrl}/login`);
      await bob.fill('input[name=username]', 'alice');
      await bob.fill('input[name=password]', PASSWORD);
      expect(await submitForm(bob, '#login-form')).toContain('Your account is locked');
      await shot(bob, 'locked');

      await openInboxWith(alice, baseUrl, 'tr.message.email[data-to="alice@acme.test"]');
      const subjects = await inboxSubjects(alice, baseUrl, 'alice@acme.test');
      for (const subject of [
        'A sign-in method was added to your account',
        'New recovery codes were created',
        'Someone may know your password',
        'Only 3 recovery codes left',
        'Your account is locked',
        'Your multi-factor authentication was reset',
      ])
        expect(subjects).toContain(subject);
      expect(await alice.textContent('#inbox')).toContain('Owen Owner');
      await shot(alice, 'dev-inbox');
      const inboxText = (await alice.textContent('#inbox')) ?? '';
      for (const code of [...recoveryCodes, ...fresh]) expect(inboxText).not.toContain(code);
      expect(inboxText).not.toContain(secret);
    });
  },
);

describe('sign-in, reset and lock on a Redis Cluster (REDIS_CLUSTER_URLS wiring)', {
  timeout: BROWSER_TEST_TIMEOUT_MS,
}, () => {
  it('signs in with TOTP, an admin reset ends the live session, a lock refuses the password step', async () => {
    const cluster = createTestCluster();
    client = cluster;
    example = await startExample(redisStores(cluster, uniquePrefix('seed-cluster'), 'caller'));
    const running = example;
    const { baseUrl, clock } = running;

    // Sign-in: alice enrols (forced for her role), signs out, signs in with her authenticator.
    const alice = await newPage();
    await signInWithPassword(alice, baseUrl, 'alice');
    const { secret } = await enrolTotp(alice, clock);
    await alice.goto(`${baseUrl}/`);
    await signOut(alice);
    await signInWithPassword(alice, baseUrl, 'alice');
    await alice.fill('#totp-form input[name=code]', totpAt(secret, clock));
    await submitAndNavigate(alice, '#totp-form', '/');
    clock.advance(30_000);

    // Reset: bob's live session ends at its next request.
    const bob = await newPage();
    await signInWithPassword(bob, baseUrl, 'bob');
    await Promise.all([bob.waitForURL('**/mfa/enrol'), bob.click('#enrol-now')]);
    await enrolTotp(bob, clock);
    await bob.goto(`${baseUrl}/security`);
    expect(await bob.textContent('#mfa-state')).toBe('On');
    await alice.goto(`${baseUrl}/admin/users`);
    expect(await submitForm(alice, '#users tr[data-user="bob"] form:has(button.reset-mfa)')).toContain(
      'MFA reset for bob',
    );
    await bob.goto(`${baseUrl}/security`);
    expect(path(bob)).toBe('/login');

    // Lock: frank is refused at the password step and told to contact an administrator.
    await alice.reload();
    expect(await submitForm(alice, '#users tr[data-user="frank"] form:has(button.lock)')).toContain(
      'frank is locked',
    );
    const frank = await newPage();
    await frank.goto(`${baseUrl}/login`);
    await frank.fill('input[name=username]', 'frank');
    await frank.fill('input[name=password]', PASSWORD);
    expect(await submitForm(frank, '#login-form')).toContain(
      'Your account is locked. Contact your administrator.',
    );
    const { events } = await running.mfa.events.query({ types: ['ADMIN_RESET', 'ADMIN_LOCK'] });
    expect(events.map((e) => [e.type, e.userId, e.actor?.id]).sort()).toEqual([
      ['ADMIN_LOCK', 'u6', 'u1'],
      ['ADMIN_RESET', 'u2', 'u1'],
    ]);
  });
});
