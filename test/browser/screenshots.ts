import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where every browser run leaves its screenshots (git-ignored). */
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '.screenshots');

/** The screenshots copied to `MFA_SCREENSHOTS_DIR` (the few the root README shows); the rest stay local. */
export const DOCS_SCREENSHOTS: ReadonlySet<string> = new Set([
  'sign-in',
  'enrol-qr',
  'challenge',
  'users',
  'error-log',
  'not-my-number',
  'twilio-500',
  'dev-inbox',
]);

/**
 * Saves a full-page screenshot of `page` as `<name>.png` in {@link SCREENSHOT_DIR},
 * and, for {@link DOCS_SCREENSHOTS}, also in `MFA_SCREENSHOTS_DIR` when set
 * (`npm run screenshots` sets it to `docs/screenshots`, the copies the README shows).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  const extra = process.env.MFA_SCREENSHOTS_DIR;
  if (extra && DOCS_SCREENSHOTS.has(name)) {
    const target = resolve(dirname(fileURLToPath(import.meta.url)), '../..', extra);
    await mkdir(target, { recursive: true });
    await copyFile(file, join(target, `${name}.png`));
  }
}
