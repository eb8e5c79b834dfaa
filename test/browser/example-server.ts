import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { decodeBase32, generateTOTP, type MfaBackend, type SmsSender } from '@mfa-kit/core';
import type { Store } from 'express-session';
import { type Browser, chromium } from 'playwright-core';
import { createExampleApp, type ExampleApp, generateKey } from '../../examples/example-app/src/app.js';

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
  options: { backend?: MfaBackend; sessionStore?: Store; smsSender?: SmsSender } = {},
): Promise<RunningExample> {
  const clock = createTestClock();
  const example = createExampleApp({
    encryptionKey: generateKey(),
    hashKey: generateKey(),
    sessionSecret: 'browser-test-secret',
    clock,
    log: () => {},
    ...options,
  });
  const server: Server = await new Promise((resolve) => {
    const s = example.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...example,
    clock,
    baseUrl: `http://127.0.0.1:${port}`,
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
