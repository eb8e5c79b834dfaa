import { defineLuaScript } from '../lua-script.js';

/**
 * `MfaStore.resetFactors`: removes factors, recovery codes (the record's `rc`
 * tokens and an old `recovery` SET) and pending SMS
 * challenges, resets grace sign-ins and bumps the epoch in one step, so no
 * session can observe the reset without the new epoch. The TOTP factor's
 * used steps (`totpStep`) go with it; the limiter state (another key) stays,
 * except the retry marker: nothing spent before the reset is answered as a
 * success after it.
 * WebAuthn credentials (`wa`, with their counters) and pending WebAuthn challenges go too.
 * KEYS: 1 record, 2 old recovery set, 3 sms:sign-in, 4 sms:setup, 5 limits, 6 webauthn challenges.
 * Reply: the new epoch.
 */
export const resetFactorsScript = defineLuaScript(
  'reset-factors',
  `
redis.call('HDEL', KEYS[1], 'totp', 'totpStep', 'sms', 'rc', 'wa')
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[6])
redis.call('HDEL', KEYS[5], 'retryId', 'retrySpent', 'retryUntil')
redis.call('HSET', KEYS[1], 'grace', 0)
return redis.call('HINCRBY', KEYS[1], 'epoch', 1)
`,
);
