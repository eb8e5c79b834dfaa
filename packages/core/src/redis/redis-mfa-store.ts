import { MfaError } from '../errors.js';
import type { MfaStore } from '../ports/mfa-store.js';
import type { AttemptInput, MfaRecord, SmsChallenge, SmsFactor, TotpFactor } from '../types.js';
import { MAX_WEBAUTHN_CHALLENGES_PER_USER } from '../defaults.js';
import { limiterStatus } from '../limiter/limiter-status.js';
import { callJsonScript, callScript } from './call-script.js';
import { decodeAttemptReply } from './decode-attempt-reply.js';
import { limiterStateFromHash } from './limiter-state-from-hash.js';
import type { DeploymentMarker } from './deployment-marker.js';
import type { RedisKeys, UserKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { scanUserIds } from './scan-user-ids.js';
import { decodeTotpFactor, encodeTotpFactor } from './stored-totp-factor.js';
import { decodeWebAuthnCredentials, encodeWebAuthnCredential } from './stored-webauthn-credentials.js';
import { addWebAuthnCredentialScript } from './scripts/add-webauthn-credential.lua.js';
import { changeWebAuthnCredentialScript } from './scripts/change-webauthn-credential.lua.js';
import { putWebAuthnChallengeScript } from './scripts/put-webauthn-challenge.lua.js';
import { ackLockEventScript } from './scripts/ack-lock-event.lua.js';
import { attemptScript } from './scripts/attempt.lua.js';
import { getRecordScript } from './scripts/get-record.lua.js';
import { getSmsChallengeScript } from './scripts/get-sms-challenge.lua.js';
import { limitsStatusScript } from './scripts/limits-status.lua.js';
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
  /** The deployment marker every read of a record is checked against (see `deployment-marker.ts`). */
  marker: DeploymentMarker;
  /** Lock ids for locks started by `attempt`; generated in Node and passed to the script, used only if a lock starts. */
  newLockId: () => string;
  /** Whose clock judges limiter time: Redis `TIME` (default) or the caller's `now` (tests). See `RedisBackendOptions.clockSource`. */
  clockSource?: 'redis' | 'caller';
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

function totpFactorOf(stored: Partial<TotpFactor> | null): TotpFactor | null {
  return stored === null ? null : decodeTotpFactor(stored);
}

function webauthnCredentialsOf(value: unknown) {
  try {
    return decodeWebAuthnCredentials(parseJson<unknown>(value, 'webauthn credentials'));
  } catch (error) {
    throw error instanceof MfaError ? error : corrupt('webauthn credentials', error);
  }
}

function smsKey(keys: UserKeys, purpose: SmsChallenge['purpose']): string {
  return purpose === 'setup' ? keys.smsSetup : keys.smsSignIn;
}

/** The attempt script's `check` argument (absent = null, see `attempt.lua.ts`). */
function scriptCheck(check: AttemptInput['check']): Record<string, unknown> {
  switch (check.type) {
    case 'totp':
      return { type: 'totp', step: check.step ?? undefined, enrolledAt: check.enrolledAt };
    case 'outcome':
      return { type: 'outcome', success: check.success === true };
    case 'sms':
      return { type: 'sms', hash: check.hash ?? undefined, purpose: check.purpose };
    case 'recovery':
      return { type: 'recovery', hash: check.hash ?? undefined };
    case 'webauthn':
      return {
        type: 'webauthn',
        challenge: check.challenge ?? undefined,
        binding: check.binding,
        credentialId: check.credentialId ?? undefined,
        verified: check.verified === true,
        counter: Number.isSafeInteger(check.counter) && check.counter >= 0 ? check.counter : 0,
        backedUp: check.backedUp === true,
      };
  }
}

/**
 * `MfaStore` on Redis. Every operation that must be atomic is one Lua script
 * on the user's hash-tagged keys (see `keys.ts`); `attempt` is exactly one
 * EVALSHA, i.e. one round trip per verification decision.
 */
export function createRedisMfaStore({
  caller,
  keys,
  marker,
  newLockId,
  clockSource = 'redis',
}: RedisMfaStoreDeps): MfaStore {
  // Only with clockSource 'caller' does a script see the caller's clock; otherwise it reads Redis TIME.
  const clock = (now: number) => (clockSource === 'caller' ? { now } : {});
  // The key prefix, read off the layout itself (a prefix never contains `{`, see createRedisBackend).
  const sampleRecordKey = keys.user('').record;
  const prefix = sampleRecordKey.slice(0, sampleRecordKey.indexOf('{u:'));
  return {
    async getRecord(userId) {
      const k = keys.user(userId);
      // The marker check runs beside the read (no extra sequential round trip): a wiped store is STORE_RESET, never "not enrolled".
      const [reply] = await Promise.all([
        caller.script(getRecordScript, [k.record, k.recovery], []),
        marker.check(),
      ]);
      if (!Array.isArray(reply)) throw corrupt('record');
      if (reply[0] !== 1) return null;
      const record: MfaRecord = {
        userId,
        totp: totpFactorOf(parseJson<Partial<TotpFactor>>(reply[1], 'totp factor')),
        sms: parseJson<SmsFactor>(reply[2], 'sms factor'),
        webauthn: webauthnCredentialsOf(reply[6]),
        recoveryCodesRemaining: toNumber(reply[5]),
        epoch: toNumber(reply[3]),
        graceSignInsUsed: toNumber(reply[4]),
      };
      return record;
    },

    async setTotp(userId, factor, input) {
      const k = keys.user(userId);
      // Durable when configured: a failover must not bring back a removed factor or an old secret.
      const reply = await caller.spend(
        setFactorScript,
        [k.record],
        [
          'totp',
          factor === null ? '' : encodeTotpFactor(factor),
          String(input?.usedStep ?? ''),
          input?.onlyIfAbsent === true ? '1' : '',
        ],
      );
      return toNumber(reply) === 1;
    },

    async setSms(userId, factor) {
      const k = keys.user(userId);
      await caller.spend(setFactorScript, [k.record], ['sms', factor === null ? '' : JSON.stringify(factor)]);
    },

    async replaceRecoveryCodes(userId, hashes) {
      const k = keys.user(userId);
      // Durable when configured: a failover must not bring back the codes this set replaced.
      await caller.spend(replaceRecoveryCodesScript, [k.record, k.recovery], hashes);
    },

    async resetFactors(userId) {
      const k = keys.user(userId);
      const reply = await caller.spend(
        resetFactorsScript,
        [k.record, k.recovery, k.smsSignIn, k.smsSetup, k.limits, k.webauthnChallenges],
        [],
      );
      return toNumber(reply);
    },

    async putWebAuthnChallenge(userId, challenge, now) {
      const k = keys.user(userId);
      await callScript(caller, putWebAuthnChallengeScript, [k.webauthnChallenges], {
        challenge: challenge.challenge,
        purpose: challenge.purpose,
        binding: challenge.binding,
        ttlMs: challenge.expiresAt - now,
        max: MAX_WEBAUTHN_CHALLENGES_PER_USER,
        ...clock(now),
      });
    },

    async addWebAuthnCredential(userId, credential, input) {
      const k = keys.user(userId);
      // Durable when configured: the challenge is spent and a failover must not lose the credential.
      const reply = await callScript(
        caller,
        addWebAuthnCredentialScript,
        [k.record, k.webauthnChallenges],
        {
          challenge: input.challenge,
          binding: input.binding,
          max: input.max,
          credential: credential === null ? null : encodeWebAuthnCredential(credential),
          ...clock(input.now),
        },
        { spend: true },
      );
      if (
        reply === 'added' ||
        reply === 'refused' ||
        reply === 'missing' ||
        reply === 'duplicate' ||
        reply === 'full'
      )
        return reply;
      throw corrupt('add-webauthn-credential reply');
    },

    async renameWebAuthnCredential(userId, credentialId, name) {
      const k = keys.user(userId);
      const reply = await caller.script(
        changeWebAuthnCredentialScript,
        [k.record],
        ['rename', credentialId, name],
      );
      return toNumber(reply) === 1;
    },

    async removeWebAuthnCredential(userId, credentialId) {
      const k = keys.user(userId);
      // Durable when configured: a failover must not bring back a removed credential.
      const reply = toNumber(
        await caller.spend(changeWebAuthnCredentialScript, [k.record], ['remove', credentialId, '']),
      );
      return reply < 0 ? null : reply;
    },

    async getEpoch(userId) {
      const k = keys.user(userId);
      const value = await caller.command('getEpoch', (client) => client.hget(k.record, 'epoch'));
      return value === null ? 0 : toNumber(value);
    },

    async bumpEpoch(userId) {
      const k = keys.user(userId);
      // Durable when configured: a failover must not revive the sessions this bump ended.
      return toNumber(await caller.write('bumpEpoch', 'HINCRBY', [k.record, 'epoch', 1]));
    },

    async incrementGraceSignIns(userId) {
      const k = keys.user(userId);
      return toNumber(await caller.write('incrementGraceSignIns', 'HINCRBY', [k.record, 'grace', 1]));
    },

    listUserIds(input) {
      return scanUserIds(caller, prefix, input);
    },

    async putSmsChallenge(userId, challenge, now) {
      const k = keys.user(userId);
      await callScript(caller, putSmsChallengeScript, [smsKey(k, challenge.purpose)], {
        codeHash: challenge.codeHash,
        sealedPhone: challenge.sealedPhone,
        maskedPhone: challenge.maskedPhone,
        ttlMs: challenge.expiresAt - now,
        ...clock(now),
      });
    },

    async getSmsChallenge(userId, purpose, now) {
      const k = keys.user(userId);
      const reply = await callJsonScript(caller, getSmsChallengeScript, [smsKey(k, purpose)], clock(now));
      if (typeof reply['codeHash'] !== 'string') return null;
      return {
        codeHash: reply['codeHash'],
        purpose,
        sealedPhone: String(reply['sealedPhone'] ?? ''),
        maskedPhone: String(reply['maskedPhone'] ?? ''),
        // Redis judged it by its clock; hand it back in the caller's.
        expiresAt: now + (toNumber(reply['expiresAt']) - toNumber(reply['now'])),
      };
    },

    async deleteSmsChallenge(userId, purpose) {
      const k = keys.user(userId);
      // Durable when configured: a failover must not revive a challenge withdrawn (e.g. "not my number").
      await caller.write('deleteSmsChallenge', 'DEL', [smsKey(k, purpose)]);
    },

    async attempt(userId, input: AttemptInput) {
      const k = keys.user(userId);
      const { check, limits, lock } = input;
      const purpose: SmsChallenge['purpose'] = check.type === 'sms' ? check.purpose : 'sign-in';
      // Durable when configured: the decision is reported only once replicas hold the spent step/code.
      const reply = await callJsonScript(
        caller,
        attemptScript,
        [k.limits, k.record, k.recovery, smsKey(k, purpose), k.legacyTotpStep, k.webauthnChallenges],
        {
          family: input.family,
          check: scriptCheck(check),
          retry: input.retry,
          limits: {
            maxFailures: limits.maxFailures,
            cooldownMs: limits.cooldownMs,
            cooldownGrowthFactor: limits.cooldownGrowthFactor ?? 1,
            maxCooldownMs: limits.maxCooldownMs ?? limits.cooldownMs,
            countsTowardLock: limits.countsTowardLock,
          },
          lock: {
            maxConsecutiveFailures: lock.maxConsecutiveFailures,
            mode: lock.mode,
            durationMs: lock.durationMs,
            growthFactor: lock.growthFactor,
            maxDurationMs: lock.maxDurationMs,
          },
          lockId: newLockId(),
          ...clock(input.now),
        },
        { spend: true },
      );
      return decodeAttemptReply(reply, input.now);
    },

    async getLimiterStatus(userId, now) {
      const k = keys.user(userId);
      const reply = await callJsonScript(caller, limitsStatusScript, [k.limits], clock(now));
      const fields = reply['fields'];
      const scriptNow = toNumber(reply['now']);
      // cjson encodes an empty table as [] (it can't tell), so an empty hash arrives as an array.
      const hash = typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? fields : {};
      // The same view (and the same forgetting rule) as the memory store, judged at Redis's instant and
      // translated into the caller's clock.
      const status = limiterStatus(limiterStateFromHash(hash as Record<string, string>), scriptNow);
      const shift = (at: number | null) => (at === null ? null : now + (at - scriptNow));
      const families: typeof status.families = {};
      for (const [family, value] of Object.entries(status.families)) {
        families[family as keyof typeof families] = { ...value, cooldownUntil: shift(value.cooldownUntil) };
      }
      return { ...status, lockedUntil: shift(status.lockedUntil), families };
    },

    async lock(userId, input) {
      const k = keys.user(userId);
      await callScript(
        caller,
        lockScript,
        [k.limits, k.record],
        {
          lockId: input.lockId,
          reason: input.reason,
          durationMs: input.until === null ? undefined : Math.max(0, input.until - input.now),
          ...clock(input.now),
        },
        { spend: true },
      );
    },

    async unlock(userId, input) {
      const k = keys.user(userId);
      // Redeeming an unlock link (with a lock id) spends it: durable when configured.
      const reply = await callScript(
        caller,
        unlockScript,
        [k.limits],
        input === undefined ? {} : { lockId: input.lockId, ...clock(input.now) },
        { spend: input !== undefined },
      );
      return reply === 1;
    },

    async resetCooldowns(userId, families) {
      if (families.length === 0) return;
      const k = keys.user(userId);
      const fields = families.flatMap((family) => [`f:${family}`, `cd:${family}`, `cn:${family}`]);
      await caller.command('resetCooldowns', (client) => client.hdel(k.limits, ...fields));
    },

    async ackLockEvent(userId, lockId) {
      const k = keys.user(userId);
      await caller.script(ackLockEventScript, [k.limits], [lockId]);
    },
  };
}
