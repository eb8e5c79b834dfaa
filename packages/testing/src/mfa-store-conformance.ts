import { describe } from 'vitest';
import type { MfaStore } from '@mfa-kit/core';
import { type ConformanceOptions, DEFAULT_CONCURRENCY, type MakeStore } from './conformance-fixtures.js';
import { registerAttemptCases } from './mfa-store-attempt-cases.js';
import { registerConcurrencyCases } from './mfa-store-concurrency-cases.js';
import { registerLimiterCases } from './mfa-store-limiter-cases.js';
import { registerListingCases } from './mfa-store-listing-cases.js';
import { registerRecordCases } from './mfa-store-record-cases.js';
import { registerRetryCases } from './mfa-store-retry-cases.js';
import { registerWebAuthnCases } from './mfa-store-webauthn-cases.js';

/**
 * Registers vitest tests proving that an {@link MfaStore} behaves as its port
 * documents: records, SMS challenges, every branch of the atomic `attempt`
 * decision, retries of one attempt after a lost answer, locks and cooldowns, WebAuthn
 * credentials and single-use challenges, 24-hour forgetting, listing every user, and races that only an
 * atomic implementation survives. Call it at the top level of a test file.
 *
 * `makeStore` is called once per test and must return an isolated store
 * (a fresh memory store, or a Redis store on a unique key prefix). Times are
 * passed as `now` close to the real clock, and the cases move time forward
 * (cooldowns ending, 24-hour forgetting) by passing a later `now`: the store
 * must judge time by the `now` it is given. A store with a clock of its own
 * runs the suite in a caller-clock mode (the Redis store:
 * `createRedisBackend({ clockSource: 'caller' })`) and tests its clock apart.
 *
 * @example
 * runMfaStoreConformance('memory', () => createMemoryMfaStore());
 */
export function runMfaStoreConformance(
  name: string,
  makeStore: MakeStore<MfaStore>,
  options: ConformanceOptions = {},
): void {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  describe(`MfaStore conformance: ${name}`, () => {
    describe('records and challenges', () => registerRecordCases(makeStore));
    describe('attempt checks', () => registerAttemptCases(makeStore));
    describe('retries of one attempt, factor identity', () => registerRetryCases(makeStore));
    describe('failures, cooldowns and locks', () => registerLimiterCases(makeStore));
    describe('listing users', () => registerListingCases(makeStore));
    describe('concurrency', () => registerConcurrencyCases(makeStore, concurrency));
    describe('webauthn credentials and challenges', () => registerWebAuthnCases(makeStore, concurrency));
  });
}
