import { randomBytes } from 'node:crypto';
import type { ResolvedMfaOptions } from '../api.js';
import {
  DEFAULT_ADDRESS_FAILURES_PER_WINDOW,
  DEFAULT_ADDRESS_WINDOW_MS,
  DEFAULT_FACTOR_LIMITS,
  DEFAULT_IPV6_PREFIX_LENGTH,
  DEFAULT_LOCK_LIMITS,
  DEFAULT_PASSWORD_LIMITS,
  DEFAULT_POLICY,
  DEFAULT_RECOVERY_CODE_COUNT,
  DEFAULT_SMS_CODE_DIGITS,
  DEFAULT_SMS_CODE_TTL_MS,
  DEFAULT_SMS_RESEND_COOLDOWN_MS,
  DEFAULT_SMS_SENDS_PER_COUNTRY_PER_HOUR,
  DEFAULT_SMS_SENDS_PER_IP_PER_HOUR,
  DEFAULT_SMS_SENDS_PER_PHONE_PER_DAY,
  DEFAULT_SMS_SENDS_PER_USER_PER_HOUR,
  DEFAULT_SMS_SETUP_LIMITS,
  DEFAULT_TOTP_ALGORITHM,
  DEFAULT_TOTP_DIGITS,
  DEFAULT_TOTP_PERIOD_IN_SECONDS,
  DEFAULT_TOTP_SECRET_BYTES,
  DEFAULT_TOTP_WINDOW,
  DEFAULT_TRUSTED_DEVICE_TTL_MS,
  DEFAULT_TRUSTED_DEVICES_PER_USER,
  DEFAULT_WEBAUTHN_CHALLENGE_TTL_MS,
  DEFAULT_WEBAUTHN_CREDENTIALS_PER_USER,
  DEFAULT_UNLOCK_REQUESTS_PER_HOUR,
  DEFAULT_UNLOCK_REQUESTS_PER_IP_PER_HOUR,
  DEFAULT_UNLOCK_TOKEN_TTL_MS,
  MAX_TRUSTED_DEVICE_TTL_MS,
  MAX_TOTP_WINDOW,
  MIN_TOTP_SECRET_BYTES,
} from '../defaults.js';
import { MfaError } from '../errors.js';
import type { MfaOptions } from '../options.js';
import type { Clock, Random } from '../ports/clock.js';
import { addressKey } from '../limiter/address-key.js';
import type { FamilyLimits, LockLimits, RequestContext } from '../types.js';
import { parsePolicy } from './parse-policy.js';

/** The system clock: the default when no clock is injected. */
export const systemClock: Clock = { now: () => Date.now() };
/** node:crypto randomness: the default when no source is injected. */
export const systemRandom: Random = { bytes: (length) => new Uint8Array(randomBytes(length)) };

function fail(message: string): never {
  throw new MfaError('CONFIGURATION', { message });
}

function int(value: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}

function family(input: Partial<FamilyLimits> | undefined, base: FamilyLimits, name: string): FamilyLimits {
  const cooldownMs = input?.cooldownMs ?? base.cooldownMs;
  const limits = {
    maxFailures: input?.maxFailures ?? base.maxFailures,
    cooldownMs,
    cooldownGrowthFactor: input?.cooldownGrowthFactor ?? base.cooldownGrowthFactor ?? 1,
    // A caller who changes only cooldownMs keeps a proportional cap (the default's growth room).
    maxCooldownMs:
      input?.maxCooldownMs ??
      Math.max(
        cooldownMs,
        Math.round(cooldownMs * ((base.maxCooldownMs ?? base.cooldownMs) / base.cooldownMs)),
      ),
    countsTowardLock: input?.countsTowardLock ?? base.countsTowardLock,
  };
  int(limits.maxFailures, `limits.${name}.maxFailures`, 1, 1000);
  int(limits.cooldownMs, `limits.${name}.cooldownMs`, 1);
  if (
    typeof limits.cooldownGrowthFactor !== 'number' ||
    !(limits.cooldownGrowthFactor >= 1) ||
    limits.cooldownGrowthFactor > 100
  ) {
    fail(`limits.${name}.cooldownGrowthFactor must be a number from 1 to 100`);
  }
  int(limits.maxCooldownMs, `limits.${name}.maxCooldownMs`, limits.cooldownMs);
  if (typeof limits.countsTowardLock !== 'boolean') fail(`limits.${name}.countsTowardLock must be a boolean`);
  return Object.freeze(limits);
}

function lock(input: Partial<LockLimits> | undefined): LockLimits {
  const limits = {
    maxConsecutiveFailures: input?.maxConsecutiveFailures ?? DEFAULT_LOCK_LIMITS.maxConsecutiveFailures,
    mode: input?.mode ?? DEFAULT_LOCK_LIMITS.mode,
    durationMs: input?.durationMs ?? DEFAULT_LOCK_LIMITS.durationMs,
    growthFactor: input?.growthFactor ?? DEFAULT_LOCK_LIMITS.growthFactor,
    maxDurationMs: input?.maxDurationMs ?? DEFAULT_LOCK_LIMITS.maxDurationMs,
  };
  // NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts.
  int(limits.maxConsecutiveFailures, 'limits.lock.maxConsecutiveFailures', 1, 100);
  if (limits.mode !== 'permanent' && limits.mode !== 'temporary') {
    fail("limits.lock.mode must be 'permanent' or 'temporary'");
  }
  int(limits.durationMs, 'limits.lock.durationMs', 1);
  if (typeof limits.growthFactor !== 'number' || !(limits.growthFactor >= 1) || limits.growthFactor > 100) {
    fail('limits.lock.growthFactor must be a number from 1 to 100');
  }
  int(limits.maxDurationMs, 'limits.lock.maxDurationMs', limits.durationMs);
  return Object.freeze(limits);
}

function addressBudget(input: NonNullable<MfaOptions['limits']>['addressBudget']) {
  object(input, 'limits.addressBudget');
  const ipv6PrefixLength = int(
    input?.ipv6PrefixLength ?? DEFAULT_IPV6_PREFIX_LENGTH,
    'limits.addressBudget.ipv6PrefixLength',
    1,
    128,
  );
  const key = input?.key ?? ((ctx: RequestContext) => (ctx.ip ? addressKey(ctx.ip, ipv6PrefixLength) : null));
  if (typeof key !== 'function') fail('limits.addressBudget.key must be a function');
  return Object.freeze({
    maxFailures: int(
      input?.maxFailures ?? DEFAULT_ADDRESS_FAILURES_PER_WINDOW,
      'limits.addressBudget.maxFailures',
      1,
      1_000_000,
    ),
    windowMs: int(input?.windowMs ?? DEFAULT_ADDRESS_WINDOW_MS, 'limits.addressBudget.windowMs', 1_000),
    ipv6PrefixLength,
    key,
  });
}

function object(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null)) fail(`${name} must be an object`);
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return methods.every((method) => typeof record[method] === 'function');
}

/**
 * Fills every default with `??` into a new frozen object and validates it, so
 * a misconfiguration fails at startup with a clear `CONFIGURATION` error
 * instead of at a user's sign-in. Key material is checked by the caller.
 */
export function resolveOptions(options: MfaOptions): ResolvedMfaOptions {
  if (typeof options !== 'object' || options === null) fail('createMfa needs an options object');
  const { backend } = options;
  if (typeof backend !== 'object' || backend === null) {
    fail('backend is required: createMemoryBackend() or createRedisBackend({ client })');
  }
  if (!hasMethods(backend.store, ['getRecord', 'attempt', 'getLimiterStatus', 'resetFactors'])) {
    fail('backend.store must implement MfaStore');
  }
  if (!hasMethods(backend.counters, ['consume', 'increment', 'peek', 'reset'])) {
    fail('backend.counters must implement CounterStore');
  }
  if (!hasMethods(backend.policies, ['get', 'set'])) fail('backend.policies must implement PolicyStore');
  if (!hasMethods(backend.events, ['append', 'query'])) fail('backend.events must implement EventLog');
  if (!hasMethods(backend.trustedDevices, ['add', 'get', 'list', 'touch', 'revoke']))
    fail('backend.trustedDevices must implement TrustedDeviceStore');
  if (typeof options.issuer !== 'string' || options.issuer.trim() === '') fail('issuer is required');
  // The otpauth label is `issuer:account`; a colon in the issuer makes it ambiguous (Key URI Format).
  if (options.issuer.includes(':') || options.issuer.length > 100) {
    fail('issuer must not contain ":" and must be at most 100 characters');
  }
  if (typeof options.encryption !== 'object' || options.encryption === null) {
    fail('encryption is required: { keys: { <id>: <32-byte key> }, currentKeyId }');
  }
  if (options.hashKey === undefined || options.hashKey === null)
    fail('hashKey is required (at least 32 bytes)');
  for (const name of [
    'totp',
    'recoveryCodes',
    'limits',
    'sms',
    'policy',
    'unlock',
    'trustedDevices',
    'webauthn',
  ] as const) {
    object(options[name], name);
  }

  const totp = Object.freeze({
    algorithm: options.totp?.algorithm ?? DEFAULT_TOTP_ALGORITHM,
    digits: options.totp?.digits ?? DEFAULT_TOTP_DIGITS,
    periodInSeconds: options.totp?.periodInSeconds ?? DEFAULT_TOTP_PERIOD_IN_SECONDS,
    window: options.totp?.window ?? DEFAULT_TOTP_WINDOW,
    secretBytes: options.totp?.secretBytes ?? DEFAULT_TOTP_SECRET_BYTES,
  });
  if (!['SHA1', 'SHA256', 'SHA512'].includes(totp.algorithm))
    fail('totp.algorithm must be SHA1, SHA256 or SHA512');
  if (totp.digits !== 6 && totp.digits !== 8) fail('totp.digits must be 6 or 8');
  int(totp.periodInSeconds, 'totp.periodInSeconds', 1, 300);
  int(totp.window, 'totp.window', 0, MAX_TOTP_WINDOW);
  int(totp.secretBytes, 'totp.secretBytes', MIN_TOTP_SECRET_BYTES, 64);

  const recoveryCodes = Object.freeze({
    count: int(options.recoveryCodes?.count ?? DEFAULT_RECOVERY_CODE_COUNT, 'recoveryCodes.count', 1, 100),
  });

  const raw = options.limits;
  const limits = Object.freeze({
    totp: family(raw?.totp, DEFAULT_FACTOR_LIMITS, 'totp'),
    sms: family(raw?.sms, DEFAULT_FACTOR_LIMITS, 'sms'),
    recovery: family(raw?.recovery, DEFAULT_FACTOR_LIMITS, 'recovery'),
    webauthn: family(raw?.webauthn, DEFAULT_FACTOR_LIMITS, 'webauthn'),
    password: family(raw?.password, DEFAULT_PASSWORD_LIMITS, 'password'),
    smsSetup: family(raw?.smsSetup, DEFAULT_SMS_SETUP_LIMITS, 'smsSetup'),
    lock: lock(raw?.lock),
    addressBudget: addressBudget(raw?.addressBudget),
  });

  const s = options.sms;
  if (s?.sender !== undefined && !hasMethods(s.sender, ['send'])) fail('sms.sender must implement SmsSender');
  if (s?.verifier !== undefined && !hasMethods(s.verifier, ['start', 'check'])) {
    fail('sms.verifier must implement PhoneVerifier');
  }
  const sms = Object.freeze({
    sender: s?.sender,
    verifier: s?.verifier,
    appName: s?.appName ?? options.issuer,
    originDomain: s?.originDomain,
    codeDigits: s?.codeDigits ?? DEFAULT_SMS_CODE_DIGITS,
    codeTtlMs: int(s?.codeTtlMs ?? DEFAULT_SMS_CODE_TTL_MS, 'sms.codeTtlMs', 1000),
    resendCooldownMs: int(s?.resendCooldownMs ?? DEFAULT_SMS_RESEND_COOLDOWN_MS, 'sms.resendCooldownMs', 1),
    sendsPerUserPerHour: int(
      s?.sendsPerUserPerHour ?? DEFAULT_SMS_SENDS_PER_USER_PER_HOUR,
      'sms.sendsPerUserPerHour',
      1,
    ),
    sendsPerPhonePerDay: int(
      s?.sendsPerPhonePerDay ?? DEFAULT_SMS_SENDS_PER_PHONE_PER_DAY,
      'sms.sendsPerPhonePerDay',
      1,
    ),
    sendsPerIpPerHour: int(
      s?.sendsPerIpPerHour ?? DEFAULT_SMS_SENDS_PER_IP_PER_HOUR,
      'sms.sendsPerIpPerHour',
      1,
    ),
    sendsPerCountryPerHour: int(
      s?.sendsPerCountryPerHour ?? DEFAULT_SMS_SENDS_PER_COUNTRY_PER_HOUR,
      'sms.sendsPerCountryPerHour',
      1,
    ),
    allowedCountryCodes: s?.allowedCountryCodes === undefined ? undefined : [...s.allowedCountryCodes],
  });
  if (sms.codeDigits !== 6 && sms.codeDigits !== 8) fail('sms.codeDigits must be 6 or 8');
  if (typeof sms.appName !== 'string' || sms.appName.trim() === '')
    fail('sms.appName must be a non-empty string');
  if (sms.originDomain !== undefined && !/^[a-z0-9.-]+(:\d+)?$/i.test(sms.originDomain)) {
    fail('sms.originDomain must be a bare host name such as example.com');
  }
  if (sms.allowedCountryCodes?.some((code) => typeof code !== 'string' || !/^[1-9]\d{0,2}$/.test(code))) {
    fail("sms.allowedCountryCodes must be calling codes without '+', e.g. ['1', '44']");
  }

  const n = options.notifications;
  object(n, 'notifications');
  if (n !== undefined && !hasMethods(n.notifier, ['notify'])) {
    fail('notifications.notifier must implement SecurityNotifier (notify)');
  }
  if (n?.onError !== undefined && typeof n.onError !== 'function')
    fail('notifications.onError must be a function');
  if (n?.lowRecoveryCodes !== undefined) int(n.lowRecoveryCodes, 'notifications.lowRecoveryCodes', 0, 100);

  const policy = parsePolicy({ ...DEFAULT_POLICY, ...options.policy }, 'CONFIGURATION');

  if (options.unlock?.delivery !== undefined && !hasMethods(options.unlock.delivery, ['deliver'])) {
    fail('unlock.delivery must implement UnlockDelivery');
  }
  const unlock = Object.freeze({
    delivery: options.unlock?.delivery,
    tokenTtlMs: int(options.unlock?.tokenTtlMs ?? DEFAULT_UNLOCK_TOKEN_TTL_MS, 'unlock.tokenTtlMs', 1000),
    requestsPerHour: int(
      options.unlock?.requestsPerHour ?? DEFAULT_UNLOCK_REQUESTS_PER_HOUR,
      'unlock.requestsPerHour',
      1,
    ),
    requestsPerIpPerHour: int(
      options.unlock?.requestsPerIpPerHour ?? DEFAULT_UNLOCK_REQUESTS_PER_IP_PER_HOUR,
      'unlock.requestsPerIpPerHour',
      1,
    ),
  });
  const trustedDevices = Object.freeze({
    ttlMs: int(
      options.trustedDevices?.ttlMs ?? DEFAULT_TRUSTED_DEVICE_TTL_MS,
      'trustedDevices.ttlMs',
      60_000,
      MAX_TRUSTED_DEVICE_TTL_MS,
    ),
    maxPerUser: int(
      options.trustedDevices?.maxPerUser ?? DEFAULT_TRUSTED_DEVICES_PER_USER,
      'trustedDevices.maxPerUser',
      1,
      100,
    ),
  });
  const w = options.webauthn;
  if (
    w !== undefined &&
    (!hasMethods(w.verifier, [
      'registrationOptions',
      'verifyRegistration',
      'authenticationOptions',
      'verifyAuthentication',
    ]) ||
      typeof w.verifier.rpId !== 'string')
  ) {
    fail(
      'webauthn.verifier must implement WebAuthnVerifier (e.g. createWebAuthnVerifier from @mfa-kit/webauthn)',
    );
  }
  const webauthn =
    w === undefined
      ? undefined
      : Object.freeze({
          verifier: w.verifier,
          challengeTtlMs: int(
            w.challengeTtlMs ?? DEFAULT_WEBAUTHN_CHALLENGE_TTL_MS,
            'webauthn.challengeTtlMs',
            10_000,
            30 * 60_000,
          ),
          maxCredentials: int(
            w.maxCredentials ?? DEFAULT_WEBAUTHN_CREDENTIALS_PER_USER,
            'webauthn.maxCredentials',
            1,
            100,
          ),
        });
  if (options.sessionRevoker !== undefined && !hasMethods(options.sessionRevoker, ['revokeAll'])) {
    fail('sessionRevoker must implement SessionRevoker');
  }
  const clock = options.clock ?? systemClock;
  if (!hasMethods(clock, ['now'])) fail('clock must have now()');
  const random = options.random ?? systemRandom;
  if (!hasMethods(random, ['bytes'])) fail('random must have bytes(length)');

  return Object.freeze({
    backend,
    encryption: options.encryption,
    hashKey: options.hashKey,
    issuer: options.issuer,
    totp,
    recoveryCodes,
    limits,
    sms,
    policy,
    unlock,
    trustedDevices,
    webauthn,
    sessionRevoker: options.sessionRevoker,
    notifications: n,
    clock,
    random,
  });
}
