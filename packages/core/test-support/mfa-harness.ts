// Test support for the core tests (outside src/, never built or shipped): a fake
// clock, seeded randomness, recording SMS/unlock/session fakes, and helpers.
import { createHash } from 'node:crypto';
import type { Mfa } from '../src/api.js';
import { MfaError } from '../src/errors.js';
import type { MfaEvent } from '../src/events.js';
import { createMemoryBackend } from '../src/memory/index.js';
import type { MfaOptions } from '../src/options.js';
import type { MfaBackend } from '../src/ports/backend.js';
import type { Clock, Random } from '../src/ports/clock.js';
import type { SmsMessage, SmsSender } from '../src/ports/sms.js';
import { decodeBase32, generateTOTP } from '../src/totp/index.js';
import type { MfaUser } from '../src/types.js';
import { createMfa } from '../src/mfa/create-mfa.js';

/** A clock that moves only when told to. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

/** Starts at a fixed instant in the middle of a TOTP step. */
export function createFakeClock(start = Date.UTC(2026, 0, 15, 9, 0, 10)): FakeClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    set: (ms) => {
      time = ms;
    },
  };
}

/** Deterministic bytes: SHA-256(seed ‖ counter) blocks. Never use outside tests. */
export function createSeededRandom(seed = 'mfa-kit-test'): Random {
  let counter = 0;
  return {
    bytes(length) {
      const out = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        const take = Math.min(block.length, length - filled);
        out.set(block.subarray(0, take), filled);
        filled += take;
      }
      return out;
    },
  };
}

/** An SMS sender that records messages and can be told to fail like a provider. */
export interface FakeSmsSender extends SmsSender {
  sent: SmsMessage[];
  failNext: MfaError | null;
  /** The code in the last message. */
  lastCode(): string;
}

export function createFakeSmsSender(): FakeSmsSender {
  const sender: FakeSmsSender = {
    name: 'fake-sms',
    sent: [],
    failNext: null,
    async send(message) {
      if (sender.failNext) {
        const error = sender.failNext;
        sender.failNext = null;
        throw error;
      }
      sender.sent.push(message);
      return { id: `msg-${sender.sent.length}` };
    },
    lastCode() {
      const body = sender.sent.at(-1)?.body ?? '';
      const match = /code is (\d+)/.exec(body);
      if (!match?.[1]) throw new Error('no SMS sent');
      return match[1];
    },
  };
  return sender;
}

/** 32-byte test keys, base64. */
export const TEST_KEY_A = Buffer.alloc(32, 7).toString('base64');
export const TEST_KEY_B = Buffer.alloc(32, 9).toString('base64');
export const TEST_HASH_KEY = 'test-hash-key-that-is-at-least-32-bytes-long';

/** Everything a test needs around one instance. */
export interface Harness {
  mfa: Mfa;
  backend: MfaBackend;
  clock: FakeClock;
  sms: FakeSmsSender;
  /** Every event the instance recorded, in order (through `events.subscribe`). */
  events: MfaEvent[];
  unlockTokens: { userId: string; token: string; expiresAt: number }[];
  revoked: string[];
}

/** Builds an instance on the memory backend with fakes; `overrides` are merged over the defaults. */
export function createHarness(overrides: Partial<MfaOptions> = {}, startTimeInMs?: number): Harness {
  const clock = createFakeClock(startTimeInMs);
  const sms = createFakeSmsSender();
  const unlockTokens: Harness['unlockTokens'] = [];
  const revoked: string[] = [];
  const backend = overrides.backend ?? createMemoryBackend();
  const mfa = createMfa({
    backend,
    encryption: { keys: { a: TEST_KEY_A }, currentKeyId: 'a' },
    hashKey: TEST_HASH_KEY,
    issuer: 'Clarus WMS',
    clock,
    random: createSeededRandom(),
    unlock: {
      delivery: {
        async deliver(message) {
          unlockTokens.push(message);
        },
      },
    },
    sessionRevoker: {
      async revokeAll(userId) {
        revoked.push(userId);
      },
    },
    ...overrides,
    sms: { sender: sms, ...overrides.sms },
  });
  const events: MfaEvent[] = [];
  mfa.events.subscribe((event) => {
    events.push(event);
  });
  return { mfa, backend, clock, sms, events, unlockTokens, revoked };
}

/** The TOTP code of `secret` at the harness clock (default TOTP settings). */
export function totpAt(secret: string, timeInMs: number): string {
  return generateTOTP(decodeBase32(secret), { timeInMs, periodInSeconds: 30, digits: 6, algorithm: 'SHA1' });
}

/** Enrols TOTP for `user`, then moves the clock one step on so the next code is fresh. */
export async function enrolTotp(
  h: Harness,
  user: MfaUser,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrolment = await h.mfa.totp.beginEnrolment(user);
  const result = await h.mfa.totp.confirmEnrolment(
    user,
    enrolment.sealedSecret,
    totpAt(enrolment.secret, h.clock.now()),
    {},
  );
  if (!result.ok || result.recoveryCodes === null)
    throw new Error(`enrolment failed: ${JSON.stringify(result)}`);
  h.clock.advance(30_000);
  return { secret: enrolment.secret, recoveryCodes: result.recoveryCodes };
}

/** A 6-digit code that is not the current (or adjacent) TOTP code of `secret`. */
export function wrongTotp(secret: string, timeInMs: number): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpAt(secret, timeInMs + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** A provider error as `@mfa-kit/twilio-sms` would throw it. */
export function providerError(code: 'SMS_FAILURE' | 'PROVIDER_FAILURE', providerCode: number): MfaError {
  return new MfaError(code, {
    providerCode,
    hint: code === 'SMS_FAILURE' ? 'Check the number' : undefined,
    reason: code === 'SMS_FAILURE' ? 'invalid-number' : 'provider-down',
    cause: new Error(`provider said ${providerCode}`),
  });
}
