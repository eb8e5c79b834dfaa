// Passkeys (WebAuthn) in Debian's Chromium with the DevTools virtual authenticator (issue 14):
// register, sign in, a second credential, removal, a replayed assertion, a cloned credential's
// counter going back, the admin role that requires phishing-resistant MFA, a passkey step-up
// ("Confirm with a passkey"), and an admin reset.
import type { CDPSession, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { useExamplePage } from './browser-fixture.js';
import { BROWSER_TEST_TIMEOUT_MS, type RunningExample, totpAt } from './example-server.js';
import { enrolTotp, signInWithPassword, signOut, submitAndNavigate } from './page-helpers.js';

// The example's default policy requires no passkeys; the forced-enrolment test starts it with one.
let policy: { phishingResistantRoles?: string[] } = {};
beforeEach((context) => {
  const name = context.task.name;
  policy =
    name.includes('forces passkey enrolment') || name.includes('confirms with a passkey')
      ? { phishingResistantRoles: ['admin'] }
      : {};
});
const current = useExamplePage(() => ({ policy }));

/** A CDP session with the WebAuthn domain on: virtual authenticators answer navigator.credentials. */
async function webauthnOf(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  return {
    cdp,
    /** A platform authenticator (passkeys) that is always present and verifies the user. */
    async add(): Promise<string> {
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      return authenticatorId;
    },
    async remove(authenticatorId: string) {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
    async credentials(authenticatorId: string) {
      return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    },
    async copy(authenticatorId: string, credential: object) {
      await cdp.send('WebAuthn.addCredential', { authenticatorId, credential } as never);
    },
  };
}

/** WebAuthn needs a domain: the pages are opened on http://localhost:<port>. */
const local = (example: RunningExample) => example.baseUrl.replace('127.0.0.1', 'localhost');

/** Clicks the submit button of `form` and waits for the answer of `path` (the page may then reload itself). */
async function submitAndAwait(page: Page, form: string, path: string) {
  // The page loads its next page itself once the answer came (`data-next`): wait for that load too.
  const loaded = page.waitForEvent('load');
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path),
    page.click(`${form} button[type=submit]`),
  ]);
  expect(response.status(), path).toBe(200);
  await loaded;
}

async function addPasskey(page: Page, example: RunningExample, name: string) {
  await page.goto(`${local(example)}/security/passkeys`);
  await page.fill('#add-passkey input[name=name]', name);
  await submitAndAwait(page, '#add-passkey', '/api/mfa/webauthn/register/verify');
}

async function signInWithPasskey(page: Page, example: RunningExample, username: string) {
  await signInWithPassword(page, local(example), username);
  expect(new URL(page.url()).pathname).toBe('/mfa/challenge');
  await submitAndNavigate(page, '#passkey-sign-in', '/');
}

async function passkeyRows(page: Page, example: RunningExample) {
  await page.goto(`${local(example)}/security/passkeys`);
  return page.locator('#passkeys tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.querySelector('.passkey-name')?.textContent?.trim(),
      used: row.querySelector('.passkey-used')?.textContent?.trim() !== 'never',
    })),
  );
}

describe('passkeys in Chromium with a virtual authenticator (issue 14)', {
  timeout: BROWSER_TEST_TIMEOUT_MS,
}, () => {
  it('registers a passkey, signs in with it, then with a second credential, and removes one', async () => {
    const { example, page } = current;
    const webauthn = await webauthnOf(page);
    const first = await webauthn.add();
    await signInWithPassword(page, local(example), 'bob');
    await addPasskey(page, example, 'Laptop');
    expect(await passkeyRows(page, example)).toEqual([{ name: 'Laptop', used: false }]);
    await signOut(page);

    await signInWithPasskey(page, example, 'bob');
    expect(await passkeyRows(page, example)).toEqual([{ name: 'Laptop', used: true }]);

    // A second authenticator (a phone, a security key): only it is present now.
    const laptop = await webauthn.credentials(first);
    await webauthn.remove(first);
    const second = await webauthn.add();
    await addPasskey(page, example, 'Phone');
    await signOut(page);
    await signInWithPasskey(page, example, 'bob');
    expect(await passkeyRows(page, example)).toEqual([
      { name: 'Laptop', used: true },
      { name: 'Phone', used: true },
    ]);
    // The first credential still signs in (the laptop again, with its key).
    await webauthn.remove(second);
    const again = await webauthn.add();
    for (const credential of laptop) await webauthn.copy(again, credential);
    await signOut(page);
    await signInWithPasskey(page, example, 'bob');

    // Remove "Phone": gone from the list; this session goes on.
    await page.goto(`${local(example)}/security/passkeys`);
    const phone = await page.locator('#passkeys tr:nth-child(2)').getAttribute('data-credential');
    await submitAndAwait(
      page,
      '#passkeys tr:nth-child(2) form.remove-passkey',
      `/api/mfa/webauthn/credentials/${phone}`,
    );
    expect(await passkeyRows(page, example)).toEqual([{ name: 'Laptop', used: true }]);
    const events = (await example.mfa.events.query({ types: ['WEBAUTHN_CREDENTIAL_REMOVED'] })).events;
    expect(events.map((e) => e.details)).toEqual([expect.objectContaining({ name: 'Phone' })]);
  });

  it('refuses a replayed assertion', async () => {
    const { example, page } = current;
    const webauthn = await webauthnOf(page);
    await webauthn.add();
    await signInWithPassword(page, local(example), 'bob');
    await addPasskey(page, example, 'Laptop');
    await signOut(page);

    let captured: unknown = null;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/mfa/sign-in/webauthn') && request.method() === 'POST')
        captured = request.postDataJSON();
    });
    await signInWithPasskey(page, example, 'bob');
    expect(captured).not.toBeNull();
    await signOut(page);

    await signInWithPassword(page, local(example), 'bob');
    const replay = await page.evaluate(async (body) => {
      const res = await fetch('/api/mfa/sign-in/webauthn', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    }, captured);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('INVALID_CODE');
    await page.goto(`${local(example)}/security`);
    expect(new URL(page.url()).pathname).toBe('/mfa/challenge');
  });

  it('refuses a cloned credential whose counter went back, and logs it', async () => {
    const { example, page } = current;
    const webauthn = await webauthnOf(page);
    const original = await webauthn.add();
    await signInWithPassword(page, local(example), 'bob');
    await addPasskey(page, example, 'Laptop');
    await signOut(page);
    await signInWithPasskey(page, example, 'bob');
    // The clone is copied now; the original signs in once more, so the clone's counter is behind.
    const copied = await webauthn.credentials(original);
    expect(copied[0]?.signCount).toBeGreaterThan(0);
    await signOut(page);
    await signInWithPasskey(page, example, 'bob');
    await signOut(page);

    await webauthn.remove(original);
    const clone = await webauthn.add();
    for (const credential of copied) await webauthn.copy(clone, credential);
    await signInWithPassword(page, local(example), 'bob');
    await page.click('#passkey-sign-in button[type=submit]');
    await page.locator('#passkey-sign-in .result').filter({ hasText: /\S/ }).waitFor();
    expect(await page.getAttribute('#passkey-sign-in .result', 'data-code')).toBe('INVALID_CODE');
    const logged = (await example.mfa.events.query({ types: ['WEBAUTHN_COUNTER_REGRESSION'] })).events;
    expect(logged).toHaveLength(1);
    expect(logged[0]?.details).toMatchObject({
      presentedCounter: copied[0]?.signCount !== undefined ? copied[0].signCount + 1 : -1,
    });
    await page.goto(`${local(example)}/admin/logs`).catch(() => undefined);
  });

  it('an admin role that requires phishing-resistant MFA forces passkey enrolment', async () => {
    const { example, page } = current;
    const webauthn = await webauthnOf(page);
    await webauthn.add();
    await signInWithPassword(page, local(example), 'alice');
    expect(new URL(page.url()).pathname).toBe('/mfa/enrol');
    expect(await page.locator('#totp-enrol').count()).toBe(0);
    await page.fill('#add-passkey input[name=name]', 'Laptop');
    await submitAndNavigate(page, '#add-passkey', '/');
    await page.goto(`${local(example)}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/admin/users');
  });

  it("a phishing-resistant admin confirms with a passkey on Confirm it's you to add and remove passkeys", async () => {
    const { example, page } = current;
    const webauthn = await webauthnOf(page);
    const laptop = await webauthn.add();
    await signInWithPassword(page, local(example), 'alice');
    await page.fill('#add-passkey input[name=name]', 'Laptop');
    await submitAndNavigate(page, '#add-passkey', '/');

    // Confirming a new passkey is no proof for the next change: adding another asks to confirm,
    // and alice has only passkeys, so only "Confirm with a passkey" is offered.
    await page.goto(`${local(example)}/security/passkeys`);
    await submitAndNavigate(page, '#add-passkey', '/confirm');
    expect(await page.locator('#confirm-form').count()).toBe(0);
    await submitAndNavigate(page, '#confirm-with-passkey', '/security/passkeys');
    // A second authenticator (a phone): the step-up made the session fresh, so it registers.
    await webauthn.remove(laptop);
    await webauthn.add();
    await addPasskey(page, example, 'Phone');
    expect((await passkeyRows(page, example)).map((r) => r.name)).toEqual(['Laptop', 'Phone']);

    // Past the fresh-proof window, removing one asks again; the phone confirms, and the removal goes through.
    example.clock.advance(6 * 60_000);
    await page.goto(`${local(example)}/security/passkeys`);
    await submitAndNavigate(page, '#passkeys tbody tr:nth-child(1) form.remove-passkey', '/confirm');
    await submitAndNavigate(page, '#confirm-with-passkey', '/security/passkeys');
    expect(await page.textContent('#passkeys tbody tr:nth-child(1) .passkey-name')).toBe('Laptop');
    const laptopId = await page.locator('#passkeys tbody tr:nth-child(1)').getAttribute('data-credential');
    await submitAndAwait(
      page,
      '#passkeys tbody tr:nth-child(1) form.remove-passkey',
      `/api/mfa/webauthn/credentials/${laptopId}`,
    );
    expect((await passkeyRows(page, example)).map((r) => r.name)).toEqual(['Phone']);
    const alice = example.users.findByUsername('alice')?.id;
    const stepUps = (await example.mfa.events.query({ types: ['VERIFICATION_SUCCEEDED'] })).events.filter(
      (e) => e.userId === alice,
    );
    expect(stepUps.map((e) => e.details)).toEqual([{ factor: 'webauthn' }, { factor: 'webauthn' }]);
  });

  it("refuses a TOTP-only sign-in for that role, and takes a passkey; Confirm it's you takes only the passkey", async () => {
    const { example, page } = current;
    const webauthn = await webauthnOf(page);
    await webauthn.add();
    await signInWithPassword(page, local(example), 'alice');
    const { secret } = await enrolTotp(page, example.clock);
    await page.click('#continue');
    await page.goto(`${local(example)}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/admin/users');

    const before = await example.mfa.admin.getPolicy();
    await example.mfa.admin.setPolicy(
      { kind: 'admin', id: 'root' },
      { ...before, phishingResistantRoles: ['admin'] },
    );
    // The session signed in with TOTP no longer satisfies requireMfa().
    await page.goto(`${local(example)}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/security/passkeys');
    await signOut(page);

    // A TOTP sign-in: only TOTP is offered (no passkey yet), and it does not open the admin pages; it
    // is the fresh proof to register a passkey, which does.
    await signInWithPassword(page, local(example), 'alice');
    await page.fill('#totp-form input[name=code]', totpAt(secret, example.clock));
    await submitAndNavigate(page, '#totp-form', '/');
    example.clock.advance(30_000);
    await page.goto(`${local(example)}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/security/passkeys');
    expect(await page.textContent('#passkey-required')).toContain('requires a passkey');
    await page.fill('#add-passkey input[name=name]', 'Laptop');
    await submitAndAwait(page, '#add-passkey', '/api/mfa/webauthn/register/verify');
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    await signOut(page);

    // Next sign-in: only the passkey is offered, and a TOTP code is refused.
    await signInWithPassword(page, local(example), 'alice');
    expect(await page.locator('#totp-form').count()).toBe(0);
    const code = totpAt(secret, example.clock);
    const viaTotp = await page.evaluate(async (c) => {
      const res = await fetch('/api/mfa/sign-in/totp', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: c }),
      });
      return res.status;
    }, code);
    // Refused before it is verified: the pending sign-in offers only the passkey (409 NOT_ENROLLED).
    expect(viaTotp).toBe(409);
    await page.goto(`${local(example)}/admin/users`);
    expect(new URL(page.url()).pathname).not.toBe('/admin/users');
    await signInWithPasskey(page, example, 'alice');
    await page.goto(`${local(example)}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/admin/users');

    // Later, "Confirm it's you" offers her only the passkey: for her role a code step-up is refused
    // (it would turn the session into one requireMfa() refuses), even posted by hand; the passkey works.
    example.clock.advance(6 * 60_000);
    await page.goto(`${local(example)}/security/passkeys`);
    await submitAndNavigate(page, '#passkeys tbody tr:nth-child(1) form.remove-passkey', '/confirm');
    expect(await page.textContent('#confirm-passkey-required')).toContain('confirm with your passkey');
    expect(await page.locator('#confirm-form').count()).toBe(0);
    const viaCode = await page.evaluate(
      async (c) => {
        const res = await fetch('/api/mfa/verify', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ factor: 'totp', code: c }),
        });
        const body = (await res.json()) as { error: { requiredFactor?: string } };
        return { status: res.status, requiredFactor: body.error.requiredFactor };
      },
      totpAt(secret, example.clock),
    );
    expect(viaCode.status).toBe(403);
    expect(viaCode.requiredFactor).toBe('webauthn');
    await submitAndNavigate(page, '#confirm-with-passkey', '/security/passkeys');
    const id = await page.locator('#passkeys tbody tr:nth-child(1)').getAttribute('data-credential');
    await submitAndAwait(
      page,
      '#passkeys tbody tr:nth-child(1) form.remove-passkey',
      `/api/mfa/webauthn/credentials/${id}`,
    );
    expect(await passkeyRows(page, example)).toEqual([]);
  });

  it("an admin reset removes the user's passkeys and ends their sessions", async () => {
    const { example, page } = current;
    const webauthn = await webauthnOf(page);
    await webauthn.add();
    await signInWithPassword(page, local(example), 'bob');
    await addPasskey(page, example, 'Laptop');
    const bob = example.users.findByUsername('bob');
    if (bob === null) throw new Error('no bob');
    expect(await example.mfa.webauthn.list({ id: bob.id })).toHaveLength(1);

    // owen (owner: MFA required, TOTP) resets bob through the admin router, from his own browser.
    const browser = page.context().browser();
    if (browser === null) throw new Error('no browser');
    const owen = await (await browser.newContext()).newPage();
    try {
      await signInWithPassword(owen, example.baseUrl, 'owen');
      await enrolTotp(owen, example.clock);
      const reset = await owen.evaluate(async (id) => {
        const res = await fetch(`/api/admin/mfa/users/${id}/reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason: 'lost laptop' }),
        });
        return res.status;
      }, bob.id);
      expect(reset).toBe(200);
    } finally {
      await owen.context().close();
    }
    expect(await example.mfa.webauthn.list({ id: bob.id })).toEqual([]);
    await page.goto(`${local(example)}/security/passkeys`);
    expect(new URL(page.url()).pathname).toBe('/login');
    // Signed in again with the password alone: no passkey left to ask for.
    await signInWithPassword(page, local(example), 'bob');
    expect(new URL(page.url()).pathname).not.toBe('/mfa/challenge');
  });
});
