import type { Page } from 'playwright-core';
import { type TestClock, totpAt } from './example-server.js';

/** The seeded users' password (see the example's README). */
export const PASSWORD = 'correct-horse';

/** Signs in with the password; resolves once the next page (challenge, enrolment, home…) has loaded. */
export async function signInWithPassword(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.click('#login-form button')]);
}

/**
 * Enrols TOTP on the enrolment page like a user would: reads the secret shown
 * for manual entry, types the current code, and returns the secret and the
 * recovery codes shown once.
 */
export async function enrolTotp(
  page: Page,
  clock: TestClock,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  // The page asks mfa-kit for a new secret on load and fills it in.
  await page.locator('#totp-secret').filter({ hasText: /\S/ }).waitFor();
  const secret = (await page.textContent('#totp-secret'))?.trim() ?? '';
  await page.fill('#totp-confirm-form input[name=code]', totpAt(secret, clock));
  await page.click('#totp-confirm-form button');
  const recoveryCodes = await readRecoveryCodes(page);
  // A later code must come from a later time step (replay protection, RFC 6238 §5.2).
  clock.advance(30_000);
  return { secret, recoveryCodes };
}

/** Waits for the recovery codes the page shows once, and reads them. */
export async function readRecoveryCodes(page: Page): Promise<string[]> {
  await page.locator('#recovery-codes li').first().waitFor();
  return (await page.locator('#recovery-codes li').allTextContents()).map((c) => c.trim());
}

/**
 * Submits a `data-api` form and returns the text it shows (the readable
 * rendering of the uniform error body, or the success message). Clears the
 * old result first so a stale message is never read.
 */
export async function submitForm(page: Page, formSelector: string): Promise<string> {
  const result = `${formSelector} .result`;
  await page.locator(result).evaluate((el) => {
    el.textContent = '';
  });
  await page.click(`${formSelector} button[type=submit]`);
  await page.locator(result).filter({ hasText: /\S/ }).waitFor();
  return ((await page.textContent(result)) ?? '').trim();
}

/** Submits a form whose success navigates; resolves when a page with this path has loaded. */
export async function submitAndNavigate(page: Page, formSelector: string, pathname: string): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.pathname === pathname),
    page.click(`${formSelector} button[type=submit]`),
  ]);
}

/** Signs out through the navigation's button. */
export async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL('**/login?m=signed-out'), page.click('nav form button')]);
}

/**
 * Opens the dev inbox until a message matching `selector` is there (unlock
 * e-mails are sent after the response, so the list may lag a moment).
 */
export async function openInboxWith(page: Page, baseUrl: string, selector: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await page.goto(`${baseUrl}/dev/inbox`);
    if ((await page.locator(selector).count()) > 0) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`no ${selector} in the dev inbox`);
}

/** The newest SMS code sent to `phone`, read from the dev inbox page like a developer would. */
export async function latestSmsCode(page: Page, baseUrl: string, phone: string): Promise<string> {
  const inbox = await page.context().newPage();
  await inbox.goto(`${baseUrl}/dev/inbox`);
  const body = await inbox.locator(`tr.message.sms[data-to="${phone}"] .body`).first().textContent();
  await inbox.close();
  const code = /\b(\d{6})\b/.exec(body ?? '')?.[1];
  if (code === undefined) throw new Error(`no SMS code for ${phone} in the dev inbox: ${body}`);
  return code;
}
