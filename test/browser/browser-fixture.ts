import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium, type RunningExample, startExample } from './example-server.js';
import { enrolTotp, signInWithPassword } from './page-helpers.js';

/** One headless Chromium for the calling test file: launched before its tests, closed after them. */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not running (use it inside a test)');
      return browser;
    },
  };
}

/** A new page in a new browser context of `browser`, accepting every dialog (confirm()…). */
export async function newPageIn(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

/** What the current test runs against: read it inside a test, never at the top of the file. */
export interface ExamplePage {
  readonly example: RunningExample;
  readonly page: Page;
}

/**
 * Registers the hooks the single-page browser tests share: one Chromium for the
 * file, and for each test a fresh example app (port 0) and a page in a new
 * context; both are closed after the test. `startOptions` is called in each
 * test's set-up, after any `beforeEach` the file registered earlier (vitest runs
 * hooks as a stack), so it may use what those started.
 */
export function useExamplePage(
  startOptions: () => Parameters<typeof startExample>[0] = () => ({}),
): ExamplePage {
  const chromium = useChromium();
  let example: RunningExample | undefined;
  let page: Page | undefined;
  beforeEach(async () => {
    example = await startExample(startOptions());
    page = await newPageIn(chromium.browser);
  });
  afterEach(async () => {
    await page?.context().close();
    await example?.close();
  });
  return {
    get example() {
      if (!example) throw new Error('No example app is running (use it inside a test)');
      return example;
    },
    get page() {
      if (!page) throw new Error('No page is open (use it inside a test)');
      return page;
    },
  };
}

/** Pages of one Chromium for the calling test file; see {@link usePages}. */
export interface TestPages {
  /** A new page in a new browser context (a separate "browser" with its own cookies). */
  newPage(): Promise<Page>;
  /** An admin (MFA required for the role) signs in on a new page, enrols TOTP, and opens the Users page. */
  adminPage(running: RunningExample, username: string): Promise<Page>;
}

/**
 * One Chromium for the file, pages opened on demand each in a new context,
 * and every context closed after each test (register the file's own
 * `afterEach`, which closes the example, after calling this).
 */
export function usePages(): TestPages {
  const chromium = useChromium();
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  const newPage = async () => {
    const page = await newPageIn(chromium.browser);
    contexts.push(page.context());
    return page;
  };
  return {
    newPage,
    async adminPage(running, username) {
      const page = await newPage();
      await signInWithPassword(page, running.baseUrl, username);
      await enrolTotp(page, running.clock);
      await page.goto(`${running.baseUrl}/admin/users`);
      return page;
    },
  };
}
