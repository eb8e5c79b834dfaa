import { randomUUID } from 'node:crypto';
import type {
  AttemptCheck,
  AttemptDecision,
  AttemptInput,
  FamilyLimits,
  LimitFamily,
  LockLimits,
  MfaStore,
  TotpFactor,
} from '@mfa-kit/core';

/** Something that makes a fresh, isolated store (a new memory store, or a Redis store on a unique prefix). */
export type MakeStore<T> = () => Promise<T> | T;

/** Options shared by the conformance suites. */
export interface ConformanceOptions {
  /**
   * Parallel calls in the "exactly once" races (one recovery code, one TOTP
   * step). The wrong-code race fires 4× as many, the counter race 2×.
   * @default 50
   */
  concurrency?: number;
}

/** Default of {@link ConformanceOptions.concurrency}: the ≥ 50 parallel uses issue 2 asks for. */
export const DEFAULT_CONCURRENCY = 50;

/** One hour in milliseconds. */
export const HOUR_MS = 60 * 60_000;
/** One day in milliseconds: limiter state untouched this long is forgotten. */
export const DAY_MS = 24 * HOUR_MS;

/**
 * A start time close to the real clock, so a backend that also sets real
 * TTLs (Redis) never sees `now` values far in the past or the future.
 */
export function baseTime(): number {
  return Math.floor(Date.now() / 1_000) * 1_000;
}

/** A user id unique to one test, so tests stay independent even on a shared store. */
export function newUserId(tag: string): string {
  return `conf-${tag}-${randomUUID()}`;
}

/** A TOTP factor as a store keeps it (the sealed secret is opaque to stores). */
export const TEST_TOTP_FACTOR: Readonly<TotpFactor> = {
  sealedSecret: 'k1:sealed-secret',
  algorithm: 'SHA1',
  digits: 6,
  periodInSeconds: 30,
  enrolledAt: 1_700_000_000_000,
};

/** Gives `userId` a TOTP factor (TOTP checks are judged against the factor's used steps) and returns the id. */
export async function withTotpFactor(store: MfaStore, userId: string, enrolledAt?: number): Promise<string> {
  await store.setTotp(userId, { ...TEST_TOTP_FACTOR, enrolledAt: enrolledAt ?? TEST_TOTP_FACTOR.enrolledAt });
  return userId;
}

/** Small limits so a test reaches cooldowns and locks in a few attempts. */
export const TEST_LIMITS: Readonly<FamilyLimits> = {
  maxFailures: 3,
  cooldownMs: 60_000,
  countsTowardLock: true,
};

/** Lock limits to go with {@link TEST_LIMITS}: 7 consecutive failures lock, permanently. */
export const TEST_LOCK: Readonly<LockLimits> = {
  maxConsecutiveFailures: 7,
  mode: 'permanent',
  durationMs: 10_000,
  growthFactor: 2,
  maxDurationMs: 25_000,
};

/** Limits that a race of wrong codes never reaches, so every failure is a plain INVALID_CODE. */
export const UNREACHABLE_LIMITS: Readonly<FamilyLimits> = {
  maxFailures: 1_000_000,
  cooldownMs: 60_000,
  countsTowardLock: true,
};
/** Lock limits that a race never reaches. */
export const UNREACHABLE_LOCK: Readonly<LockLimits> = { ...TEST_LOCK, maxConsecutiveFailures: 1_000_000 };

/** Overrides for {@link attemptInput}. */
export interface AttemptOverrides {
  family?: LimitFamily;
  limits?: Partial<FamilyLimits>;
  lock?: Partial<LockLimits>;
}

function defaultFamily(check: AttemptCheck): LimitFamily {
  switch (check.type) {
    case 'totp':
      return 'totp';
    case 'recovery':
      return 'recovery';
    case 'sms':
      return check.purpose === 'setup' ? 'sms-setup' : 'sms';
    case 'webauthn':
      return 'webauthn';
    case 'outcome':
      return 'password';
  }
}

/** Builds an {@link AttemptInput} with {@link TEST_LIMITS} and {@link TEST_LOCK} unless overridden. */
export function attemptInput(
  check: AttemptCheck,
  now: number,
  overrides: AttemptOverrides = {},
): AttemptInput {
  return {
    family: overrides.family ?? defaultFamily(check),
    check,
    limits: { ...TEST_LIMITS, ...overrides.limits },
    lock: { ...TEST_LOCK, ...overrides.lock },
    now,
  };
}

/** A TOTP check for `step` (null: the code matched no step). */
export const totp = (step: number | null): AttemptCheck => ({ type: 'totp', step });
/** A recovery-code check with this keyed hash. */
export const recovery = (hash: string | null): AttemptCheck => ({ type: 'recovery', hash });
/** An SMS check against the challenge of `purpose`. */
export const sms = (hash: string | null, purpose: 'sign-in' | 'setup' = 'sign-in'): AttemptCheck => ({
  type: 'sms',
  hash,
  purpose,
});
/** A WebAuthn assertion check: the challenge it signed, its binding, the credential and its counter. */
export const webauthn = (
  challenge: string | null,
  binding: string,
  credentialId: string | null,
  counter: number,
  overrides: { verified?: boolean; backedUp?: boolean } = {},
): AttemptCheck => ({
  type: 'webauthn',
  challenge,
  binding,
  credentialId,
  counter,
  verified: overrides.verified ?? true,
  backedUp: overrides.backedUp ?? false,
});
/** An app-decided outcome (the password step). */
export const outcome = (success: boolean): AttemptCheck => ({ type: 'outcome', success });

/** Narrows a decision to one code, failing the test with the whole decision when it is another. */
export function expectCode<C extends Exclude<AttemptDecision, { ok: true }>['code']>(
  decision: AttemptDecision,
  code: C,
): Extract<AttemptDecision, { code: C }> {
  if (decision.ok || decision.code !== code) {
    throw new Error(`expected ${code}, got ${JSON.stringify(decision)}`);
  }
  return decision as Extract<AttemptDecision, { code: C }>;
}

/** Counts how many items satisfy `predicate`. */
export function count<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.reduce((total, item) => total + (predicate(item) ? 1 : 0), 0);
}
