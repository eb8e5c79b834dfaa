import { MfaError } from '../errors.js';
import type { MfaStore } from '../ports/mfa-store.js';
import type { AttemptInput, MfaRecord, SmsChallenge, SmsFactor, TotpFactor } from '../types.js';
import { limiterStatus } from '../memory/memory-limiter.js';
import { decodeAttemptReply } from './decode-attempt-reply.js';
import { limiterStateFromHash } from './limiter-state-from-hash.js';
import type { RedisKeys, UserKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { scanUserIds } from './scan-user-ids.js';
import { ackLockEventScript } from './scripts/ack-lock-event.lua.js';
import { attemptScript } from './scripts/attempt.lua.js';
import { getRecordScript } from './scripts/get-record.lua.js';
import { lockScript } from './scripts/lock.lua.js';
import { putSmsChallengeScript } from './scripts/put-sms-challenge.lua.js';
import { replaceRecoveryCodesScript } from './scripts/replace-recovery-codes.lua.js';
import { resetFactorsScript } from './scripts/reset-factors.lua.js';
import { setFactorScript } from './scripts/set-factor.lua.js';
import { unlockScript } from './scripts/unlock.lua.js';

/** What {@link createRedisMfaStore} needs. */
export interface RedisMfaStoreDeps {
  caller: RedisCaller;
  keys: RedisKeys;
  /** Lock ids for locks started by `attempt`; generated in Node and passed to the script, used only if a lock starts. */
  newLockId: () => string;
}

function corrupt(what: string, cause?: unknown): MfaError {
  return new MfaError('STORE_UNAVAILABLE', {
    message: `The MFA store returned malformed data (${what}).`,
    cause: cause ?? new Error(what),
  });
}

function parseJson<T>(value: unknown, what: string): T | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw corrupt(what);
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    throw corrupt(what, error);
  }
}

function toNumber(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

function smsKey(keys: UserKeys, purpose: SmsChallenge['purpose']): string {
  return purpose === 'setup' ? keys.smsSetup : keys.smsSignIn;
}

/**
 * `MfaStore` on Redis. Every operation that must be atomic is one Lua script
 * on the user's hash-tagged keys (see `keys.ts`); `attempt` is exactly one
 * EVALSHA, i.e. one round trip per verification decision.
 */
export function createRedisMfaStore({ caller, keys, newLockId }: RedisMfaStoreDeps): MfaStore {
  // The key prefix, read off the layout itself (a prefix never contains `{`, see createRedisBackend).
  const sampleRecordKey = keys.user('').record;
  const prefix = sampleRecordKey.slice(0, sampleRecordKey.indexOf('{u:'));
  return {
    async getRecord(userId) {
      const k = keys.user(userId);
      const reply = await caller.script(getRecordScript, [k.record, k.recovery], []);
      if (!Array.isArray(reply)) throw corrupt('record');
      if (reply[0] !== 1) return null;
      const record: MfaRecord = {
        userId,
        totp: parseJson<TotpFactor>(reply[1], 'totp factor'),
        sms: parseJson<SmsFactor>(reply[2], 'sms factor'),
        recoveryCodesRemaining: toNumber(reply[5]),
        epoch: toNumber(reply[3]),
        graceSignInsUsed: toNumber(reply[4]),
      };
      return record;
    },

    async setTotp(userId, factor) {
      const k = keys.user(userId);
      await caller.script(
        setFactorScript,
        [k.record],
        ['totp', factor === null ? '' : JSON.stringify(factor)],
      );
    },

    async setSms(userId, factor) {
      const k = keys.user(userId);
      await caller.script(
        setFactorScript,
        [k.record],
        ['sms', factor === null ? '' : JSON.stringify(factor)],
      );
    },

    async replaceRecoveryCodes(userId, hashes) {
      const k = keys.user(userId);
      await caller.script(replaceRecoveryCodesScript, [k.record, k.recovery], hashes);
    },

    async resetFactors(userId) {
      const k = keys.user(userId);
      const reply = await caller.spend(
        resetFactorsScript,
        [k.record, k.recovery, k.smsSignIn, k.smsSetup],
        [],
      );
      return toNumber(reply);
    },

    async getEpoch(userId) {
      const k = keys.user(userId);
      const value = await caller.command('getEpoch', (client) => client.hget(k.record, 'epoch'));
      return value === null ? 0 : toNumber(value);
    },

    async bumpEpoch(userId) {
      const k = keys.user(userId);
      return caller.command('bumpEpoch', (client) => client.hincrby(k.record, 'epoch', 1));
    },

    async incrementGraceSignIns(userId) {
      const k = keys.user(userId);
      return caller.command('incrementGraceSignIns', (client) => client.hincrby(k.record, 'grace', 1));
    },

    listUserIds(input) {
      return scanUserIds(caller, prefix, input);
    },

    async putSmsChallenge(userId, challenge) {
      const k = keys.user(userId);
      await caller.script(
        putSmsChallengeScript,
        [smsKey(k, challenge.purpose)],
        [challenge.codeHash, challenge.sealedPhone, challenge.maskedPhone, String(challenge.expiresAt)],
      );
    },

    async getSmsChallenge(userId, purpose, now) {
      const k = keys.user(userId);
      const fields = await caller.command('getSmsChallenge', (client) => client.hgetall(smsKey(k, purpose)));
      if (fields['codeHash'] === undefined) return null;
      const expiresAt = toNumber(fields['expiresAt']);
      if (expiresAt <= now) return null;
      return {
        codeHash: fields['codeHash'],
        purpose,
        sealedPhone: fields['sealedPhone'] ?? '',
        maskedPhone: fields['maskedPhone'] ?? '',
        expiresAt,
      };
    },

    async deleteSmsChallenge(userId, purpose) {
      const k = keys.user(userId);
      await caller.command('deleteSmsChallenge', (client) => client.del(smsKey(k, purpose)));
    },

    async attempt(userId, input: AttemptInput) {
      const k = keys.user(userId);
      const { check, limits, lock } = input;
      let value = '';
      let success = '0';
      let purpose: SmsChallenge['purpose'] = 'sign-in';
      if (check.type === 'totp') value = check.step === null ? '' : String(check.step);
      else if (check.type === 'recovery') value = check.hash ?? '';
      else if (check.type === 'sms') {
        value = check.hash ?? '';
        purpose = check.purpose;
      } else success = check.success ? '1' : '0';
      // Durable when configured: the decision is reported only once replicas hold the spent step/code.
      const reply = await caller.spend(
        attemptScript,
        [k.limits, k.totpStep, k.recovery, smsKey(k, purpose)],
        [
          input.family,
          check.type,
          value,
          success,
          limits.maxFailures,
          limits.cooldownMs,
          limits.countsTowardLock ? '1' : '0',
          lock.maxConsecutiveFailures,
          lock.mode,
          lock.durationMs,
          lock.growthFactor,
          lock.maxDurationMs,
          input.now,
          newLockId(),
        ],
      );
      return decodeAttemptReply(reply);
    },

    async getLimiterStatus(userId, now) {
      const k = keys.user(userId);
      const fields = await caller.command('getLimiterStatus', (client) => client.hgetall(k.limits));
      // The same view (and the same forgetting rule) as the memory store, from the hash fields.
      return limiterStatus(limiterStateFromHash(fields), now);
    },

    async lock(userId, input) {
      const k = keys.user(userId);
      await caller.spend(
        lockScript,
        [k.limits, k.record],
        [input.lockId, input.until === null ? '' : String(input.until), input.reason, String(input.now)],
      );
    },

    async unlock(userId) {
      const k = keys.user(userId);
      await caller.script(unlockScript, [k.limits], []);
    },

    async resetCooldowns(userId, families) {
      if (families.length === 0) return;
      const k = keys.user(userId);
      const fields = families.flatMap((family) => [`f:${family}`, `cd:${family}`]);
      await caller.command('resetCooldowns', (client) => client.hdel(k.limits, ...fields));
    },

    async ackLockEvent(userId, lockId) {
      const k = keys.user(userId);
      await caller.script(ackLockEventScript, [k.limits], [lockId]);
    },
  };
}
