import { randomUUID } from 'node:crypto';
import type { MfaStore } from '../ports/mfa-store.js';
import type {
  AttemptInput,
  MfaRecord,
  SmsChallenge,
  SmsFactor,
  TotpFactor,
  WebAuthnChallenge,
  WebAuthnCredential,
} from '../types.js';
import { MAX_WEBAUTHN_CHALLENGES_PER_USER } from '../defaults.js';
import { decideAttempt } from '../limiter/decide-attempt.js';
import { emptyLimiterState, forgetIfStale, type LimiterState, lockActive } from '../limiter/limiter-state.js';
import { limiterStatus } from '../limiter/limiter-status.js';

interface StoredRecord {
  totp: TotpFactor | null;
  sms: SmsFactor | null;
  /** WebAuthn credentials with their counters (replay state belongs to each credential). */
  webauthn: WebAuthnCredential[];
  recoveryHashes: Set<string>;
  epoch: number;
  graceSignInsUsed: number;
  /** Last accepted TOTP step of the current TOTP factor: replay state belongs to the factor (cleared with it). */
  lastStep: number | null;
}

interface UserState {
  /** null until something is written; kept (without factors) after a reset so the epoch survives. */
  record: StoredRecord | null;
  challenges: Map<SmsChallenge['purpose'], SmsChallenge>;
  /** Live WebAuthn challenges by challenge value. */
  webauthnChallenges: Map<string, WebAuthnChallenge>;
  limiter: LimiterState;
}

const copyCredential = (credential: WebAuthnCredential): WebAuthnCredential => ({
  ...credential,
  transports: [...credential.transports],
});

/** Takes the live challenge `value` of `purpose` under `binding` (deleting it), or null; another binding's stays. */
function takeWebAuthnChallenge(
  challenges: Map<string, WebAuthnChallenge>,
  value: string | null,
  purpose: WebAuthnChallenge['purpose'],
  binding: string,
  now: number,
): WebAuthnChallenge | null {
  const challenge = value === null ? undefined : challenges.get(value);
  if (challenge === undefined || challenge.purpose !== purpose || challenge.binding !== binding) return null;
  challenges.delete(challenge.challenge);
  return now < challenge.expiresAt ? challenge : null;
}

/** `listUserIds` page size: `count` as a whole number of at least 1 (it is only a hint). */
function pageSize(count: number): number {
  return Number.isFinite(count) ? Math.max(1, Math.floor(count)) : 1;
}

/** Options for {@link createMemoryMfaStore}. */
export interface MemoryMfaStoreOptions {
  /** Lock ids for failure locks. @default node:crypto randomUUID */
  newLockId?: () => string;
}

/**
 * An in-process {@link MfaStore} for tests, demos and single-process apps.
 *
 * Atomicity: every method does all of its reading and writing synchronously,
 * with no `await` in between, so each call is one critical section on
 * Node's single thread; that is what makes N parallel `attempt`s on one
 * recovery code or TOTP step succeed exactly once. Values are copied in and
 * out, so callers can never mutate the stored state.
 */
export function createMemoryMfaStore(options: MemoryMfaStoreOptions = {}): MfaStore {
  const newLockId = options.newLockId ?? randomUUID;
  const users = new Map<string, UserState>();

  const user = (userId: string): UserState => {
    let state = users.get(userId);
    if (state === undefined) {
      state = {
        record: null,
        challenges: new Map(),
        webauthnChallenges: new Map(),
        limiter: emptyLimiterState(),
      };
      users.set(userId, state);
    }
    return state;
  };
  const record = (userId: string): StoredRecord => {
    const state = user(userId);
    state.record ??= {
      totp: null,
      sms: null,
      webauthn: [],
      recoveryHashes: new Set(),
      epoch: 0,
      graceSignInsUsed: 0,
      lastStep: null,
    };
    return state.record;
  };
  const liveChallenge = (state: UserState, purpose: SmsChallenge['purpose'], now: number) => {
    const challenge = state.challenges.get(purpose);
    if (challenge === undefined) return null;
    if (now >= challenge.expiresAt) {
      state.challenges.delete(purpose);
      return null;
    }
    return challenge;
  };

  return {
    async getRecord(userId): Promise<MfaRecord | null> {
      const stored = users.get(userId)?.record;
      if (stored == null) return null;
      return {
        userId,
        totp: stored.totp === null ? null : { ...stored.totp },
        sms: stored.sms === null ? null : { ...stored.sms },
        webauthn: stored.webauthn.map(copyCredential),
        recoveryCodesRemaining: stored.recoveryHashes.size,
        epoch: stored.epoch,
        graceSignInsUsed: stored.graceSignInsUsed,
      };
    },
    async setTotp(userId, factor, input) {
      const stored = record(userId);
      if (input?.onlyIfAbsent === true && stored.totp !== null) return false;
      if (factor === null && stored.totp !== null) stored.epoch += 1;
      // A factor is identified by its enrolledAt: re-sealing it (key rotation) keeps its used steps.
      if (factor === null || stored.totp?.enrolledAt !== factor.enrolledAt) {
        stored.lastStep = factor === null ? null : (input?.usedStep ?? null);
      }
      stored.totp = factor === null ? null : { ...factor };
      return true;
    },
    async setSms(userId, factor) {
      const stored = record(userId);
      if (factor === null && stored.sms !== null) stored.epoch += 1;
      stored.sms = factor === null ? null : { ...factor };
    },
    async replaceRecoveryCodes(userId, hashes) {
      record(userId).recoveryHashes = new Set(hashes);
    },
    async putWebAuthnChallenge(userId, challenge, now) {
      const challenges = user(userId).webauthnChallenges;
      for (const [value, live] of challenges) if (now >= live.expiresAt) challenges.delete(value);
      challenges.set(challenge.challenge, { ...challenge });
      while (challenges.size > MAX_WEBAUTHN_CHALLENGES_PER_USER) {
        const first = [...challenges.values()].reduce((a, b) => (b.expiresAt < a.expiresAt ? b : a));
        challenges.delete(first.challenge);
      }
    },
    async addWebAuthnCredential(userId, credential, input) {
      const state = user(userId);
      const taken = takeWebAuthnChallenge(
        state.webauthnChallenges,
        input.challenge,
        'register',
        input.binding,
        input.now,
      );
      if (taken === null) return 'missing';
      if (credential === null) return 'refused';
      const stored = record(userId);
      if (stored.webauthn.some((existing) => existing.id === credential.id)) return 'duplicate';
      if (stored.webauthn.length >= input.max) return 'full';
      stored.webauthn.push(copyCredential(credential));
      return 'added';
    },
    async renameWebAuthnCredential(userId, credentialId, name) {
      const credential = users.get(userId)?.record?.webauthn.find((c) => c.id === credentialId);
      if (credential === undefined) return false;
      credential.name = name;
      return true;
    },
    async removeWebAuthnCredential(userId, credentialId) {
      const stored = users.get(userId)?.record;
      const index = stored?.webauthn.findIndex((c) => c.id === credentialId) ?? -1;
      if (stored == null || index < 0) return null;
      stored.webauthn.splice(index, 1);
      stored.epoch += 1;
      return stored.epoch;
    },
    async resetFactors(userId) {
      const stored = record(userId);
      stored.totp = null;
      stored.lastStep = null;
      stored.sms = null;
      stored.webauthn = [];
      stored.recoveryHashes = new Set();
      stored.graceSignInsUsed = 0;
      stored.epoch += 1;
      const state = user(userId);
      state.challenges.clear();
      state.webauthnChallenges.clear();
      state.limiter.retry = null; // nothing spent before a reset is honoured after it
      return stored.epoch;
    },
    async getEpoch(userId) {
      return users.get(userId)?.record?.epoch ?? 0;
    },
    async bumpEpoch(userId) {
      const stored = record(userId);
      stored.epoch += 1;
      return stored.epoch;
    },
    async incrementGraceSignIns(userId) {
      const stored = record(userId);
      stored.graceSignInsUsed += 1;
      return stored.graceSignInsUsed;
    },
    async listUserIds({ cursor, count }) {
      // Ordered by id, the cursor being the last id handed out: ids created
      // meanwhile after the cursor are still listed, none is listed twice.
      const limit = pageSize(count);
      const ids = [...users.entries()]
        .filter(([id, state]) => state.record !== null && (cursor === null || id > cursor))
        .map(([id]) => id)
        .sort();
      const page = ids.slice(0, limit);
      return { userIds: page, nextCursor: ids.length > limit ? (page.at(-1) ?? null) : null };
    },

    async putSmsChallenge(userId, challenge, _now) {
      user(userId).challenges.set(challenge.purpose, { ...challenge });
    },
    async getSmsChallenge(userId, purpose, now) {
      const state = users.get(userId);
      const challenge = state === undefined ? null : liveChallenge(state, purpose, now);
      return challenge === null ? null : { ...challenge };
    },
    async deleteSmsChallenge(userId, purpose) {
      users.get(userId)?.challenges.delete(purpose);
    },

    async attempt(userId, input: AttemptInput) {
      const state = user(userId);
      const { check } = input;
      return decideAttempt(
        state.limiter,
        input,
        () => {
          switch (check.type) {
            case 'totp': {
              const stored = state.record;
              if (check.step === null || stored?.totp == null) return { ok: false, reason: 'mismatch' };
              // Bound to the factor the step was matched against: a secret replaced meanwhile matches nothing.
              if (check.enrolledAt !== undefined && check.enrolledAt !== stored.totp.enrolledAt)
                return { ok: false, reason: 'mismatch' };
              if (stored.lastStep !== null && check.step <= stored.lastStep)
                return { ok: false, reason: 'replay' };
              stored.lastStep = check.step;
              return { ok: true };
            }
            case 'recovery': {
              const hashes = state.record?.recoveryHashes;
              if (check.hash === null || hashes === undefined || !hashes.delete(check.hash)) {
                return { ok: false, reason: 'mismatch' };
              }
              return { ok: true };
            }
            case 'sms': {
              const challenge = liveChallenge(state, check.purpose, input.now);
              if (challenge === null) return { ok: false, reason: 'missing' };
              // Hashes are keyed HMACs of the code, so plain equality leaks nothing useful about the code.
              if (check.hash === null || check.hash !== challenge.codeHash)
                return { ok: false, reason: 'mismatch' };
              state.challenges.delete(check.purpose);
              return { ok: true };
            }
            case 'webauthn': {
              const { challenge, binding, credentialId } = check;
              const taken = takeWebAuthnChallenge(
                state.webauthnChallenges,
                challenge,
                'sign-in',
                binding,
                input.now,
              );
              if (taken === null) return { ok: false, reason: 'missing' };
              const credential = state.record?.webauthn.find((c) => c.id === credentialId);
              if (!check.verified || credential === undefined) return { ok: false, reason: 'mismatch' };
              if ((check.counter > 0 || credential.counter > 0) && check.counter <= credential.counter)
                return { ok: false, reason: 'counter' };
              credential.counter = check.counter;
              credential.backedUp = check.backedUp;
              credential.lastUsedAt = input.now;
              return { ok: true };
            }
            case 'outcome':
              return check.success ? { ok: true } : { ok: false, reason: 'mismatch' };
          }
        },
        newLockId,
      );
    },
    async getLimiterStatus(userId, now) {
      const state = users.get(userId);
      return limiterStatus(state?.limiter ?? emptyLimiterState(), now);
    },
    async lock(userId, input) {
      const limiter = user(userId).limiter;
      forgetIfStale(limiter, input.now);
      limiter.lock = { lockId: input.lockId, reason: input.reason, until: input.until, eventPending: false };
      limiter.touchedAt = input.now;
      record(userId).epoch += 1;
    },
    async unlock(userId, input) {
      const limiter = users.get(userId)?.limiter;
      if (limiter === undefined) return input?.lockId === undefined;
      if (input?.lockId !== undefined) {
        forgetIfStale(limiter, input.now);
        if (!lockActive(limiter.lock, input.now) || limiter.lock.lockId !== input.lockId) return false;
      }
      limiter.lock = null;
      limiter.consecutive = 0;
      limiter.families.clear();
      limiter.retry = null;
      return true;
    },
    async resetCooldowns(userId, families) {
      const limiter = users.get(userId)?.limiter;
      if (limiter === undefined) return;
      for (const family of families) limiter.families.delete(family);
    },
    async ackLockEvent(userId, lockId) {
      const lock = users.get(userId)?.limiter.lock;
      if (lock != null && lock.lockId === lockId) lock.eventPending = false;
    },
  };
}
