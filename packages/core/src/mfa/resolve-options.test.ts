import { describe, expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import { createMemoryBackend } from '../memory/index.js';
import type { MfaOptions } from '../options.js';
import { createMfa } from './create-mfa.js';
import { TEST_HASH_KEY, TEST_KEY_A } from '../../test-support/mfa-harness.js';

function valid(): MfaOptions {
  return {
    backend: createMemoryBackend(),
    encryption: { keys: { k1: TEST_KEY_A }, currentKeyId: 'k1' },
    hashKey: TEST_HASH_KEY,
    issuer: 'Acme',
  };
}

function configurationError(options: unknown): string {
  try {
    createMfa(options as MfaOptions);
  } catch (error) {
    if (isMfaError(error, 'CONFIGURATION')) return error.message;
    throw error;
  }
  throw new Error('createMfa accepted the options');
}

describe('createMfa options', () => {
  it('fills documented defaults into a frozen object', () => {
    const mfa = createMfa(valid());
    expect(mfa.options.totp).toEqual({
      algorithm: 'SHA1',
      digits: 6,
      periodInSeconds: 30,
      window: 1,
      secretBytes: 20,
    });
    const flat = { cooldownGrowthFactor: 1 };
    expect(mfa.options.limits.totp).toEqual({
      maxFailures: 5,
      cooldownMs: 300_000,
      ...flat,
      maxCooldownMs: 300_000,
      countsTowardLock: true,
    });
    expect(mfa.options.limits.smsSetup).toEqual({
      maxFailures: 3,
      cooldownMs: 3_600_000,
      ...flat,
      maxCooldownMs: 3_600_000,
      countsTowardLock: false,
    });
    // The password step needs only a username: growing cooldowns, never the lock (issue 10).
    expect(mfa.options.limits.password).toEqual({
      maxFailures: 5,
      cooldownMs: 300_000,
      cooldownGrowthFactor: 3,
      maxCooldownMs: 3_600_000,
      countsTowardLock: false,
    });
    expect(mfa.options.limits.addressBudget).toMatchObject({
      maxFailures: 30,
      windowMs: 3_600_000,
      ipv6PrefixLength: 64,
    });
    expect(mfa.options.limits.lock.maxConsecutiveFailures).toBe(10);
    expect(mfa.options.sms.appName).toBe('Acme');
    expect(mfa.options.policy).toEqual({
      requiredRoles: [],
      requiredOrgs: [],
      rollout: { mode: 'all' },
      grace: null,
      allowSelfUnlock: false,
      trustedDevices: { forbiddenRoles: [] },
      phishingResistantRoles: [],
      phishingResistantOrgs: [],
    });
    expect(mfa.options.trustedDevices).toEqual({ ttlMs: 30 * 24 * 60 * 60_000, maxPerUser: 10 });
    expect(Object.isFrozen(mfa.options)).toBe(true);
    expect(Object.isFrozen(mfa.options.totp)).toBe(true);
  });

  it('two instances share nothing', async () => {
    const a = createMfa(valid());
    const b = createMfa(valid());
    const seen: string[] = [];
    a.events.subscribe((e) => {
      seen.push(e.type);
    });
    await b.declineEnrolment({ id: 'u' }, {});
    expect(seen).toEqual([]);
  });

  it.each([
    ['no options', undefined, /options/],
    ['missing backend', { ...valid(), backend: undefined }, /backend is required/],
    ['backend without store', { ...valid(), backend: { ...createMemoryBackend(), store: {} } }, /MfaStore/],
    ['missing issuer', { ...valid(), issuer: '' }, /issuer/],
    ['issuer with colon', { ...valid(), issuer: 'a:b' }, /issuer/],
    ['missing encryption', { ...valid(), encryption: undefined }, /encryption/],
    [
      'short AES key',
      { ...valid(), encryption: { keys: { k1: Buffer.alloc(16).toString('base64') }, currentKeyId: 'k1' } },
      /32/,
    ],
    [
      'unknown current key',
      { ...valid(), encryption: { keys: { k1: TEST_KEY_A }, currentKeyId: 'k2' } },
      /currentKeyId/,
    ],
    ['missing hash key', { ...valid(), hashKey: undefined }, /hashKey/],
    ['short hash key', { ...valid(), hashKey: 'short' }, /hashKey/],
    ['window > 10', { ...valid(), totp: { window: 11 } }, /totp.window/],
    ['7 digits', { ...valid(), totp: { digits: 7 } }, /digits/],
    ['128-bit secrets', { ...valid(), totp: { secretBytes: 16 } }, /secretBytes/],
    ['bad algorithm', { ...valid(), totp: { algorithm: 'MD5' } }, /algorithm/],
    ['zero failures', { ...valid(), limits: { totp: { maxFailures: 0 } } }, /maxFailures/],
    [
      'lock above NIST cap',
      { ...valid(), limits: { lock: { maxConsecutiveFailures: 101 } } },
      /maxConsecutiveFailures/,
    ],
    ['bad lock mode', { ...valid(), limits: { lock: { mode: 'sometimes' } } }, /mode/],
    [
      'negative address budget',
      { ...valid(), limits: { addressBudget: { maxFailures: -1 } } },
      /maxFailures/,
    ],
    [
      'bad IPv6 prefix',
      { ...valid(), limits: { addressBudget: { ipv6PrefixLength: 129 } } },
      /ipv6PrefixLength/,
    ],
    [
      'cooldown shrinking',
      { ...valid(), limits: { password: { cooldownGrowthFactor: 0.5 } } },
      /GrowthFactor/,
    ],
    ['bad sender', { ...valid(), sms: { sender: {} } }, /SmsSender/],
    ['bad country codes', { ...valid(), sms: { allowedCountryCodes: ['+44'] } }, /allowedCountryCodes/],
    ['bad origin domain', { ...valid(), sms: { originDomain: 'https://x.example/' } }, /originDomain/],
    ['bad default policy', { ...valid(), policy: { requiredRoles: 'admin' } }, /requiredRoles/],
    ['bad clock', { ...valid(), clock: {} }, /clock/],
  ])('%s → CONFIGURATION', (_name, options, message) => {
    expect(configurationError(options)).toMatch(message);
  });
});
