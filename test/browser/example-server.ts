import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { decodeBase32, generateTOTP } from '@mfa-kit/core';
import { type Browser, chromium } from 'playwright-core';
import {
  createExampleApp,
  type ExampleApp,
  type ExampleAppOptions,
  generateKey,
} from '../../examples/example-app/src/app.js';

/** A clock the test moves by hand (pending-sign-in expiry, cooldowns, TOTP steps). */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

/** Starts at the real time so the pages' dates look normal. */
export function createTestClock(start = Date.now()): TestClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** A running example app on a free loopback port. */
export interface RunningExample extends ExampleApp {
  baseUrl: string;
  clock: TestClock;
  close(): Promise<void>;
}

/** Starts the example in-process on port 0 with an injected clock (memory backend unless given). */
export async function startExample(
  options: Partial<
    Pick<
      ExampleAppOptions,
      | 'backend'
      | 'sessionStore'
      | 'sessionIndex'
      | 'smsSender'
      | 'users'
      | 'inbox'
      | 'redisConfigured'
      | 'settings'
      | 'encryptionKey'
      | 'log'
      | 'policy'
      | 'webauthn'
    >
  > = {},
): Promise<RunningExample> {
  const clock = createTestClock();
  // Listen first: the app needs its origin for mfa-kit's CSRF check.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const example = createExampleApp({
    encryptionKey: generateKey(),
    hashKey: generateKey(),
    sessionSecret: 'browser-test-secret',
    // Passkeys need a domain name as RP ID: the same server is also http://localhost:<port>.
    allowedOrigins: [baseUrl, `http://localhost:${port}`],
    clock,
    log: () => {},
    ...options,
  });
  server.on('request', example.app);
  return {
    ...example,
    clock,
    baseUrl,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The TOTP code an authenticator app would show at the test clock's time. */
export function totpAt(secret: string, clock: TestClock): string {
  return generateTOTP(decodeBase32(secret), {
    timeInMs: clock.now(),
    periodInSeconds: 30,
    digits: 6,
    algorithm: 'SHA1',
  });
}

/**
 * Per-test budget for browser flows. Generous on purpose: the whole suite
 * shares 2 cores with Redis servers and other test files, and a flow drives a
 * real browser through several pages. Nothing asserts on time.
 */
export const BROWSER_TEST_TIMEOUT_MS = 120_000;
