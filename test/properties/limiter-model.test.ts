import type {
  AttemptCheck,
  AttemptDecision,
  AttemptInput,
  FamilyLimits,
  LimitFamily,
  LimiterStatus,
  LockLimits,
  MfaStore,
} from '@mfa-kit/core';
import { createMemoryBackend } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import fc from 'fast-check';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../harness/index.js';
import { LimiterReferenceModel } from './limiter-reference-model.js';

/**
 * Model-based differential test of `MfaStore` (the port's JSDoc of `attempt`
 * is the specification): random command sequences run against a fresh memory
 * store, a fresh Redis store and an independent reference model, and every
 * answer must be identical (lock ids normalised: they are random). On top,
 * the safety invariants are asserted directly on what the stores answered.
 *
 * The Redis side runs with `clockSource: 'caller'` so the test can move time;
 * the one-clock property (Redis `TIME` whatever the app servers' clocks) has
 * its own attack tests in `test/redis/clock-skew.test.ts`.
 *
 * The seed changes every run and is printed; replay a failure with
 * `PROPERTY_SEED=<seed>` (fast-check also prints the shrunk counterexample).
 */
const SEED = Number(process.env['PROPERTY_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
console.log(`limiter-model: PROPERTY_SEED=${SEED}`);
const DAY_MS = 24 * 60 * 60_000;
const START = 1_760_000_000_000;
const BASE_STEP = 58_666_000;
const USERS = ['u0', 'u1', 'u2'] as const;
const FAMILIES = [
  'totp',
  'sms',
  'recovery',
  'password',
  'sms-setup',
] as const satisfies readonly LimitFamily[];
const RECOVERY_POOL = ['r0', 'r1', 'r2', 'r3'] as const;
const SMS_POOL = ['s0', 's1', 's2'] as const;
/** Sign-in attempts that name themselves (a retry of one after a lost answer), or null for none. */
const ATTEMPT_POOL = ['a0', 'a1'] as const;
/** How long a named attempt's spend is honoured for its retry (shorter than most advances). */
const RETRY_WINDOW_MS = 3_000;
const attemptIdArb = fc.option(fc.constantFrom(...ATTEMPT_POOL), { nil: null });

type Limits = Record<LimitFamily, FamilyLimits>;
type User = (typeof USERS)[number];

type Command =
  | {
      kind: 'attempt';
      user: User;
      family: LimitFamily;
      check: AttemptCheck;
      /** The sign-in attempt it belongs to (`AttemptInput.retry`), or null. */
      attemptId: string | null;
      observe: boolean;
      /** The same attempt this many times in a row (an attacker's burst, or a user's retries). */
      repeat?: number;
    }
  | { kind: 'advance'; by: number }
  | {
      kind: 'advance-to';
      boundary: 'cooldown' | 'lock' | 'day';
      user: User;
      family: LimitFamily;
      delta: number;
    }
  | { kind: 'lock'; user: User; forMs: number | null }
  | { kind: 'unlock'; user: User }
  | { kind: 'hammer'; user: User; family: LimitFamily; rounds: number }
  | { kind: 'unlock-bound'; user: User; which: number }
  | { kind: 'set-totp'; user: User; enrolledAt: number | null }
  | { kind: 'reset-cooldowns'; user: User; families: LimitFamily[] }
  | { kind: 'ack'; user: User; which: number }
  | { kind: 'replace-recovery'; user: User; hashes: string[] }
  | { kind: 'reset-factors'; user: User }
  | { kind: 'put-sms'; user: User; purpose: 'sign-in' | 'setup'; hash: string; ttlMs: number }
  | { kind: 'status'; user: User }
  | { kind: 'record'; user: User };

const userArb = fc.constantFrom(...USERS);
const familyArb = fc.constantFrom(...FAMILIES);

const familyLimitsArb: fc.Arbitrary<FamilyLimits> = fc
  .record({
    maxFailures: fc.integer({ min: 1, max: 6 }),
    cooldownMs: fc.constantFrom(1_000, 60_000, 300_000, 3_600_000),
    cooldownGrowthFactor: fc.constantFrom(1, 1.5, 2, 3),
    capFactor: fc.constantFrom(1, 4, 12),
    countsTowardLock: fc.boolean(),
  })
  .map(({ capFactor, ...limits }) => ({ ...limits, maxCooldownMs: limits.cooldownMs * capFactor }));
const limitsArb: fc.Arbitrary<Limits> = fc.record({
  totp: familyLimitsArb,
  sms: familyLimitsArb,
  recovery: familyLimitsArb,
  webauthn: familyLimitsArb,
  password: familyLimitsArb,
  'sms-setup': familyLimitsArb,
});

/** Valid lock limits as `createMfa` accepts them (growthFactor 1..100, maxDurationMs ≥ durationMs). */
function lockArb(
  growthFactors: readonly number[],
  { modes = ['permanent', 'temporary'], maxConsecutive = 12, durations = [1_000, 1_001, 900_000] } = {} as {
    modes?: readonly LockLimits['mode'][];
    maxConsecutive?: number;
    durations?: readonly number[];
  },
): fc.Arbitrary<LockLimits> {
  return fc
    .record({
      maxConsecutiveFailures: fc.integer({ min: 1, max: maxConsecutive }),
      mode: fc.constantFrom(...modes),
      durationMs: fc.constantFrom(...durations),
      growthFactor: fc.constantFrom(...growthFactors),
      capFactor: fc.constantFrom(3, 100),
    })
    .map(({ capFactor, ...lock }) => ({ ...lock, maxDurationMs: lock.durationMs * capFactor }));
}

const attemptArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('attempt' as const),
    user: userArb,
    family: fc.constant('totp' as const),
    check: fc.record({
      type: fc.constant('totp' as const),
      step: fc.option(
        fc.integer({ min: 0, max: 6 }).map((offset) => BASE_STEP + offset),
        { nil: null },
      ),
      // The factor the step was matched against (set-totp enrols 1 or 2); undefined: not bound.
      enrolledAt: fc.option(fc.constantFrom(1, 1, 1, 2), { nil: undefined, freq: 6 }),
    }),
    attemptId: attemptIdArb,
    observe: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('attempt' as const),
    user: userArb,
    family: fc.constant('recovery' as const),
    check: fc.record({
      type: fc.constant('recovery' as const),
      hash: fc.option(fc.constantFrom(...RECOVERY_POOL, 'r-unknown'), { nil: null }),
    }),
    attemptId: attemptIdArb,
    observe: fc.boolean(),
  }),
  ...(['sms', 'sms-setup'] as const).map((family) =>
    fc.record({
      kind: fc.constant('attempt' as const),
      user: userArb,
      family: fc.constant(family),
      check: fc.record({
        type: fc.constant('sms' as const),
        hash: fc.option(fc.constantFrom(...SMS_POOL), { nil: null }),
        purpose: fc.constant(family === 'sms' ? ('sign-in' as const) : ('setup' as const)),
      }),
      attemptId: attemptIdArb,
      observe: fc.boolean(),
    }),
  ),
  fc.record({
    kind: fc.constant('attempt' as const),
    user: userArb,
    family: familyArb,
    check: fc.record({ type: fc.constant('outcome' as const), success: fc.boolean() }),
    attemptId: attemptIdArb,
    observe: fc.boolean(),
  }),
);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(attemptArb, fc.constantFrom(1, 1, 1, 2, 6))
      .map(([command, repeat]) => ({ ...command, repeat }) as Command),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: 0, max: 5_000 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance-to' as const),
      boundary: fc.constantFrom('cooldown' as const, 'lock' as const, 'day' as const),
      user: userArb,
      family: familyArb,
      delta: fc.constantFrom(-1, 0, 1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('lock' as const),
      user: userArb,
      forMs: fc.option(fc.constantFrom(1_000, 60_000, DAY_MS), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unlock' as const), user: userArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hammer' as const),
      user: userArb,
      family: familyArb,
      rounds: fc.integer({ min: 2, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unlock-bound' as const),
      user: userArb,
      // -1: the id of the lock in force (what a fresh unlock link carries); else an id issued earlier.
      which: fc.oneof(
        { weight: 3, arbitrary: fc.constant(-1) },
        { weight: 2, arbitrary: fc.nat({ max: 4 }) },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set-totp' as const),
      user: userArb,
      enrolledAt: fc.option(fc.constantFrom(1, 2), { nil: null, freq: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reset-cooldowns' as const),
      user: userArb,
      families: fc.subarray([...FAMILIES], { minLength: 1 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('ack' as const), user: userArb, which: fc.nat({ max: 4 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('replace-recovery' as const),
      user: userArb,
      hashes: fc.subarray([...RECOVERY_POOL]),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset-factors' as const), user: userArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('put-sms' as const),
      user: userArb,
      purpose: fc.constantFrom('sign-in' as const, 'setup' as const),
      hash: fc.constantFrom(...SMS_POOL),
      ttlMs: fc.constantFrom(1_000, 300_000, 600_000),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), user: userArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('record' as const), user: userArb }) },
);

/** Lock ids are random per store: each store's ids are renamed `L1, L2, …` in the order they first appear. */
class LockIds {
  readonly #toLabel = new Map<string, string>();
  readonly #toRaw = new Map<string, string>();

  label(raw: string): string {
    let label = this.#toLabel.get(raw);
    if (label === undefined) {
      label = `L${this.#toLabel.size + 1}`;
      this.#toLabel.set(raw, label);
      this.#toRaw.set(label, raw);
    }
    return label;
  }

  /** The store's own id for a label, or a never-issued id. */
  raw(label: string): string {
    return this.#toRaw.get(label) ?? 'never-issued';
  }

  labels(): string[] {
    return [...this.#toRaw.keys()];
  }
}

function normalise(decision: AttemptDecision, ids: LockIds): AttemptDecision {
  return decision.ok || decision.code !== 'ACCOUNT_LOCKED'
    ? decision
    : { ...decision, lockId: ids.label(decision.lockId) };
}

/** What one side (a store or the model) answers to a command; compared across sides. */
interface Side {
  name: string;
  ids: LockIds;
  attempt(
    user: User,
    family: LimitFamily,
    check: AttemptCheck,
    now: number,
    attemptId: string | null,
  ): Promise<AttemptDecision>;
  status(user: User, now: number): Promise<LimiterStatus>;
  lock(
    user: User,
    input: { now: number; reason: string; lockId: string; until: number | null },
  ): Promise<void>;
  unlock(user: User): Promise<boolean>;
  unlockBound(user: User, lockId: string, now: number): Promise<boolean>;
  setTotp(user: User, enrolledAt: number | null): Promise<void>;
  resetCooldowns(user: User, families: LimitFamily[]): Promise<void>;
  ack(user: User, lockId: string): Promise<void>;
  replaceRecovery(user: User, hashes: string[]): Promise<void>;
  resetFactors(user: User): Promise<number>;
  putSms(
    user: User,
    purpose: 'sign-in' | 'setup',
    hash: string,
    expiresAt: number,
    now: number,
  ): Promise<void>;
  record(user: User): Promise<{ recoveryCodesRemaining: number; epoch: number } | null>;
}

function retryOf(attemptId: string | null): Pick<AttemptInput, 'retry'> {
  return attemptId === null ? {} : { retry: { attemptId, windowMs: RETRY_WINDOW_MS } };
}

function storeSide(name: string, store: MfaStore, limits: Limits, lock: LockLimits): Side {
  return {
    name,
    ids: new LockIds(),
    attempt: (user, family, check, now, attemptId) =>
      store.attempt(user, { family, check, limits: limits[family], lock, now, ...retryOf(attemptId) }),
    status: (user, now) => store.getLimiterStatus(user, now),
    lock: (user, input) => store.lock(user, input),
    unlock: (user) => store.unlock(user),
    unlockBound: (user, lockId, now) => store.unlock(user, { lockId, now }),
    setTotp: async (user, enrolledAt) => {
      await store.setTotp(
        user,
        enrolledAt === null
          ? null
          : { sealedSecret: 'sealed', algorithm: 'SHA1', digits: 6, periodInSeconds: 30, enrolledAt },
      );
    },
    resetCooldowns: (user, families) => store.resetCooldowns(user, families),
    ack: (user, lockId) => store.ackLockEvent(user, lockId),
    replaceRecovery: (user, hashes) => store.replaceRecoveryCodes(user, hashes),
    resetFactors: (user) => store.resetFactors(user),
    putSms: (user, purpose, hash, expiresAt, now) =>
      store.putSmsChallenge(
        user,
        {
          codeHash: hash,
          purpose,
          sealedPhone: 'sealed',
          maskedPhone: '+1 ••• ••• 0100',
          expiresAt,
        },
        now,
      ),
    record: async (user) => {
      const record = await store.getRecord(user);
      return record === null
        ? null
        : { recoveryCodesRemaining: record.recoveryCodesRemaining, epoch: record.epoch };
    },
  };
}

function modelSide(limits: Limits, lock: LockLimits): Side {
  const model = new LimiterReferenceModel();
  let locks = 0;
  const newLockId = () => `model-lock-${++locks}`;
  return {
    name: 'model',
    ids: new LockIds(),
    attempt: async (user, family, check, now, attemptId) =>
      model.attempt(
        user,
        { family, check, limits: limits[family], lock, now, ...retryOf(attemptId) },
        newLockId,
      ),
    status: async (user, now) => model.status(user, now),
    lock: async (user, input) => model.lock(user, input),
    unlock: async (user) => model.unlock(user),
    unlockBound: async (user, lockId, now) => model.unlock(user, { lockId, now }),
    setTotp: async (user, enrolledAt) => model.setTotp(user, enrolledAt),
    resetCooldowns: async (user, families) => model.resetCooldowns(user, families),
    ack: async (user, lockId) => model.ackLockEvent(user, lockId),
    replaceRecovery: async (user, hashes) => model.replaceRecoveryCodes(user, hashes),
    resetFactors: async (user) => model.resetFactors(user),
    putSms: async (user, purpose, hash, expiresAt) => model.putSmsChallenge(user, purpose, hash, expiresAt),
    record: async (user) => model.record(user),
  };
}

/** Safety properties asserted directly on the answers, independent of the model. */
class Invariants {
  readonly #locks = new Map<User, number | null>();
  /** Per user: each accepted step of the current factor → the attempt that spent it (null: unnamed). */
  readonly #acceptedSteps = new Map<User, Map<number, string | null>>();
  /** Per user: each spent recovery hash → the attempt that spent it. */
  readonly #usedRecovery = new Map<User, Map<string, string | null>>();

  constructor(readonly limits: Limits) {}

  #locked(user: User, now: number): boolean {
    if (!this.#locks.has(user)) return false;
    const until = this.#locks.get(user) ?? null;
    return until === null || now < until;
  }

  lockStarted(user: User, until: number | null): void {
    this.#locks.set(user, until);
  }

  unlocked(user: User): void {
    this.#locks.delete(user);
  }

  /** A new TOTP factor starts with no used steps (issue 9: replay state belongs to the factor). */
  newTotpFactor(user: User): void {
    this.#acceptedSteps.delete(user);
  }

  recoveryReplaced(user: User, hashes: readonly string[]): void {
    const used = this.#usedRecovery.get(user);
    for (const hash of hashes) used?.delete(hash);
  }

  checkAttempt(
    user: User,
    family: LimitFamily,
    check: AttemptCheck,
    now: number,
    decision: AttemptDecision,
    attemptId: string | null,
  ): void {
    const wrongPassword = family === 'password' && check.type === 'outcome' && !check.success;
    if (this.#locked(user, now) && !wrongPassword) {
      // While locked nothing succeeds and nothing is counted.
      expect(decision).toMatchObject({ ok: false, code: 'ACCOUNT_LOCKED', evaluated: false });
    }
    if (wrongPassword) {
      // A wrong password never reveals a lock (no enumeration of locked accounts).
      expect(decision).not.toMatchObject({ code: 'ACCOUNT_LOCKED', evaluated: false });
    }
    if (!decision.ok && decision.code === 'INVALID_CODE' && decision.evaluated) {
      // Never more failures than the budget before the cooldown is reported.
      const { maxFailures } = this.limits[family];
      expect(decision.failures).toBeGreaterThanOrEqual(1);
      expect(decision.failures).toBeLessThan(maxFailures);
      expect(decision.remaining).toBe(maxFailures - decision.failures);
    }
    if (!decision.ok && decision.code === 'INVALID_CODE' && !decision.evaluated) {
      // An uncharged refusal is only ever the retry of this very attempt's own spend.
      expect(decision.reason).toBe('retry');
      expect(attemptId).not.toBeNull();
      if (check.type === 'totp')
        expect(this.#acceptedSteps.get(user)?.get(check.step as number)).toBe(attemptId);
      if (check.type === 'recovery')
        expect(this.#usedRecovery.get(user)?.get(check.hash as string)).toBe(attemptId);
    }
    if (!decision.ok && decision.code === 'ACCOUNT_LOCKED' && decision.started) {
      this.lockStarted(user, decision.until);
    }
    if (decision.ok && check.type === 'totp') {
      // RFC 6238 §5.2: a step is accepted once per factor, and only a step newer than every accepted one,
      // whichever attempt presents it (a retry of the same attempt included).
      const steps = this.#acceptedSteps.get(user) ?? new Map<number, string | null>();
      expect(check.step).not.toBeNull();
      const step = check.step as number;
      expect([...steps.keys()].every((accepted) => accepted < step)).toBe(true);
      steps.set(step, attemptId);
      this.#acceptedSteps.set(user, steps);
    }
    if (decision.ok && check.type === 'recovery') {
      // A recovery code is accepted once, ever.
      const used = this.#usedRecovery.get(user) ?? new Map<string, string | null>();
      expect(check.hash).not.toBeNull();
      const hash = check.hash as string;
      expect(used.has(hash)).toBe(false);
      used.set(hash, attemptId);
      this.#usedRecovery.set(user, used);
    }
  }

  checkStatus(status: LimiterStatus): void {
    for (const family of FAMILIES) {
      const counters = status.families[family];
      // A failure either stays under the budget, starts a cooldown, or starts a lock; the last two
      // reset the family's count (step 5 of the spec), so it is always below maxFailures.
      if (counters !== undefined) expect(counters.failures).toBeLessThan(this.limits[family].maxFailures);
    }
  }
}

const REQUIRED_COVERAGE = [
  'ok:totp',
  'ok:recovery',
  'ok:sms',
  'ok:outcome',
  'invalid:mismatch',
  'invalid:retry',
  'invalid:replay',
  'invalid:missing',
  'cooldown:started',
  'cooldown:grown',
  'unlock-bound:lifted',
  'unlock-bound:refused',
  'cooldown:refused',
  'locked:started:permanent',
  'locked:started:temporary',
  'locked:started:grown',
  'locked:refused',
  'lock:expired',
  'forgotten',
];

/** Kinds of decisions seen across all runs, so a generator that stopped reaching a state fails the test. */
const coverage = new Set<string>();

function describeDecision(
  decision: AttemptDecision,
  check: AttemptCheck,
  now: number,
  lock: LockLimits,
  limits: FamilyLimits,
): string {
  if (decision.ok) return `ok:${check.type}`;
  if (decision.code === 'INVALID_CODE') return `invalid:${decision.reason}`;
  if (decision.code === 'COOLDOWN') {
    if (!decision.started) return 'cooldown:refused';
    // A repeated cooldown is longer than the first (grown by cooldownGrowthFactor).
    return decision.retryAfterMs > limits.cooldownMs ? 'cooldown:grown' : 'cooldown:started';
  }
  if (!decision.started) return 'locked:refused';
  if (decision.until === null) return 'locked:started:permanent';
  // A repeated temporary lock is longer than the first (grown by growthFactor).
  return decision.until - now > lock.durationMs ? 'locked:started:grown' : 'locked:started:temporary';
}

/** A check of `family` that always fails (what a guessing attacker sends). */
function failingCheck(family: LimitFamily): AttemptCheck {
  switch (family) {
    case 'totp':
      return { type: 'totp', step: null };
    case 'recovery':
      return { type: 'recovery', hash: null };
    case 'sms':
      return { type: 'sms', hash: null, purpose: 'sign-in' };
    case 'sms-setup':
      return { type: 'sms', hash: null, purpose: 'setup' };
    case 'webauthn':
      return {
        type: 'webauthn',
        challenge: null,
        binding: 'b',
        credentialId: null,
        verified: false,
        counter: 0,
        backedUp: false,
      };
    case 'password':
      return { type: 'outcome', success: false };
  }
}

/** Runs one command sequence on every side, comparing every answer with the model's. */
async function runSequence(
  sides: Side[],
  limits: Limits,
  lock: LockLimits,
  commands: Command[],
): Promise<void> {
  const invariants = new Invariants(limits);
  const model = sides[0] as Side;
  let now = START;
  let adminLocks = 0;
  const same = async <T>(step: number, command: Command, run: (side: Side) => Promise<T>) => {
    const answers: T[] = [];
    for (const side of sides) answers.push(await run(side));
    for (let i = 1; i < sides.length; i++) {
      expect(answers[i], `step ${step} ${JSON.stringify(command)}: ${sides[i]?.name} vs model`).toEqual(
        answers[0],
      );
    }
    return answers[0] as T;
  };
  const attemptOnce = async (
    step: number,
    command: Command,
    user: User,
    family: LimitFamily,
    check: AttemptCheck,
    attemptId: string | null = null,
  ): Promise<AttemptDecision> => {
    const decision = await same(step, command, async (side) =>
      normalise(await side.attempt(user, family, check, now, attemptId), side.ids),
    );
    invariants.checkAttempt(user, family, check, now, decision, attemptId);
    coverage.add(describeDecision(decision, check, now, lock, limits[family]));
    return decision;
  };
  const status = (step: number, command: Command, user: User) =>
    same(step, command, async (side) => {
      const answer = await side.status(user, now);
      return answer.lockId === null ? answer : { ...answer, lockId: side.ids.label(answer.lockId) };
    });

  for (const [step, command] of commands.entries()) {
    switch (command.kind) {
      case 'attempt': {
        const { user, family, check, attemptId } = command;
        for (let i = 1; i < (command.repeat ?? 1); i++)
          await attemptOnce(step, command, user, family, check, attemptId);
        const before = command.observe ? await status(step, command, user) : null;
        const decision = await attemptOnce(step, command, user, family, check, attemptId);
        if (before !== null) {
          const after = await status(step, command, user);
          invariants.checkStatus(after);
          // A refusal because of a lock or cooldown changes no state.
          if (!decision.evaluated)
            expect(after, `step ${step}: unevaluated attempt changed state`).toEqual(before);
        }
        break;
      }
      case 'hammer': {
        // An attacker's rounds: wrong answers up to the cooldown, wait it out, again (cooldown growth).
        const { user, family } = command;
        for (let round = 0; round < command.rounds; round++) {
          for (let i = 0; i < limits[family].maxFailures; i++) {
            await attemptOnce(step, command, user, family, failingCheck(family));
          }
          const current = await model.status(user, now);
          const until = current.families[family]?.cooldownUntil ?? null;
          if (until !== null) now = Math.max(now, until);
        }
        break;
      }
      case 'advance':
        now += command.by;
        break;
      case 'advance-to': {
        const current = await model.status(command.user, now);
        let target: number;
        if (command.boundary === 'cooldown') {
          target = current.families[command.family]?.cooldownUntil ?? now + limits[command.family].cooldownMs;
        } else if (command.boundary === 'lock') {
          target = current.lockedUntil ?? now + lock.durationMs;
        } else {
          target = now + DAY_MS;
        }
        now = Math.max(now, Math.ceil(target) + command.delta);
        const after = await model.status(command.user, now);
        if (current.consecutiveFailures > 0 && after.consecutiveFailures === 0) coverage.add('forgotten');
        if (current.locked && !after.locked) coverage.add('lock:expired');
        break;
      }
      case 'lock': {
        adminLocks += 1;
        const input = {
          now,
          reason: 'admin',
          lockId: `admin-${adminLocks}`,
          until: command.forMs === null ? null : now + command.forMs,
        };
        await same(step, command, async (side) => {
          await side.lock(command.user, input);
          side.ids.label(input.lockId);
        });
        invariants.lockStarted(command.user, input.until);
        break;
      }
      case 'unlock':
        await same(step, command, (side) => side.unlock(command.user));
        invariants.unlocked(command.user);
        break;
      case 'unlock-bound': {
        // The lock in force (-1), or a lock id each side issued (same label on every side), or none.
        const lifted = await same(step, command, async (side) => {
          const current = command.which === -1 ? (await side.status(command.user, now)).lockId : null;
          const label = side.ids.labels()[command.which];
          const lockId = current ?? (label === undefined ? 'never-issued' : side.ids.raw(label));
          return side.unlockBound(command.user, lockId, now);
        });
        coverage.add(lifted ? 'unlock-bound:lifted' : 'unlock-bound:refused');
        if (lifted) invariants.unlocked(command.user);
        break;
      }
      case 'set-totp':
        await same(step, command, (side) => side.setTotp(command.user, command.enrolledAt));
        invariants.newTotpFactor(command.user);
        break;
      case 'reset-cooldowns':
        await same(step, command, (side) => side.resetCooldowns(command.user, command.families));
        break;
      case 'ack':
        // An id each side issued (same label on every side), or one never issued.
        await same(step, command, (side) => {
          const label = side.ids.labels()[command.which];
          return side.ack(command.user, label === undefined ? 'never-issued' : side.ids.raw(label));
        });
        break;
      case 'replace-recovery':
        await same(step, command, (side) => side.replaceRecovery(command.user, command.hashes));
        invariants.recoveryReplaced(command.user, command.hashes);
        break;
      case 'reset-factors':
        await same(step, command, (side) => side.resetFactors(command.user));
        invariants.newTotpFactor(command.user);
        break;
      case 'put-sms':
        await same(step, command, (side) =>
          side.putSms(command.user, command.purpose, command.hash, now + command.ttlMs, now),
        );
        break;
      case 'status':
        invariants.checkStatus(await status(step, command, command.user));
        break;
      case 'record':
        await same(step, command, (side) => side.record(command.user));
        break;
    }
  }
}

/**
 * A fixed run fast-check tries before the random ones: temporary locks that
 * expire and start again, then a lock lifted by its own unlock link and that
 * link refused once spent, so the coverage guard's rarest kinds
 * (`locked:started:grown`, `unlock-bound:lifted`) never depend on the seed
 * (they once failed the Cluster run at PROPERTY_SEED=1987666225 and 388574638,
 * and at 915614268).
 */
function grownLockExample(growthFactor: number): [Limits, LockLimits, Command[]] {
  const family: FamilyLimits = {
    maxFailures: 1,
    cooldownMs: 1_000,
    cooldownGrowthFactor: 1,
    maxCooldownMs: 1_000,
    countsTowardLock: true,
  };
  const limits: Limits = {
    totp: family,
    sms: family,
    recovery: family,
    webauthn: family,
    password: family,
    'sms-setup': family,
  };
  const lock: LockLimits = {
    maxConsecutiveFailures: 2,
    mode: 'temporary',
    durationMs: 1_001,
    growthFactor,
    maxDurationMs: 100_100,
  };
  const round: Command[] = [
    { kind: 'hammer', user: 'u0', family: 'totp', rounds: 2 },
    { kind: 'advance-to', boundary: 'lock', user: 'u0', family: 'totp', delta: 1 },
  ];
  const unlockByLink: Command[] = [
    { kind: 'hammer', user: 'u0', family: 'totp', rounds: 2 },
    { kind: 'unlock-bound', user: 'u0', which: -1 },
    { kind: 'unlock-bound', user: 'u0', which: 0 },
  ];
  return [limits, lock, [...round, ...round, ...round, ...unlockByLink]];
}

function property(makeStore: () => MfaStore, lockLimitsArb: fc.Arbitrary<LockLimits>) {
  return fc.asyncProperty(
    limitsArb,
    lockLimitsArb,
    fc.array(commandArb, { minLength: 5, maxLength: 80 }),
    async (limits, lock, commands) => {
      const sides = [
        modelSide(limits, lock),
        storeSide('memory', createMemoryBackend().store, limits, lock),
        storeSide('redis', makeStore(), limits, lock),
      ];
      // Users start with a TOTP factor (TOTP checks match nothing without one), a full set of
      // recovery codes and a live sign-in SMS code, so successful recovery and SMS checks are
      // common, not a matter of a lucky seed (the coverage guard below once missed ok:recovery,
      // and ok:sms on Cluster at PROPERTY_SEED=1272184302); later commands replace all three.
      const enrolled: Command[] = USERS.flatMap((user): Command[] => [
        { kind: 'set-totp', user, enrolledAt: 1 },
        { kind: 'replace-recovery', user, hashes: [...RECOVERY_POOL] },
        { kind: 'put-sms', user, purpose: 'sign-in', hash: SMS_POOL[0], ttlMs: 600_000 },
      ]);
      await runSequence(sides, limits, lock, [...enrolled, ...commands]);
    },
  );
}

describe.each([
  ['single Redis', createTestRedis, 300],
  ['Redis Cluster', createTestCluster, 200],
] as const)('MfaStore model: memory ≡ %s ≡ reference model', (name, connect, numRuns) => {
  let client: Redis | Cluster;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await client.quit();
  });

  const makeStore = () =>
    createRedisBackend({ client, prefix: uniquePrefix('limiter-model'), clockSource: 'caller' }).store;

  it('identical answers at every step and the safety invariants hold (integer lock growth)', async () => {
    coverage.clear();
    await fc.assert(property(makeStore, lockArb([1, 2, 3])), {
      numRuns,
      seed: SEED,
      examples: [grownLockExample(2)],
    });
    console.log(`${name}: ${[...coverage].sort().join(', ')}`);
    // Guards against a generator that silently stopped reaching the interesting states.
    for (const kind of REQUIRED_COVERAGE) expect(coverage, `never reached ${kind}`).toContain(kind);
  }, 120_000);

  it('identical answers with a fractional lock growth factor (1.5 is a valid option)', async () => {
    coverage.clear();
    await fc.assert(
      property(makeStore, lockArb([1.5], { modes: ['temporary'], maxConsecutive: 3, durations: [1_001] })),
      { numRuns, seed: SEED, examples: [grownLockExample(1.5)] },
    );
    console.log(`${name} (growth 1.5): ${[...coverage].sort().join(', ')}`);
    expect(coverage).toContain('locked:started:grown');
  }, 120_000);
});
