import { defineLuaScript } from '../lua-script.js';

/**
 * Replaces the pending SMS challenge of one purpose. Expiry is decided
 * against the caller's `now` (injected clock); the key TTL only collects
 * garbage: one hour past `expiresAt` by the Redis clock (at least one hour,
 * at most 30 days), so a skewed or test clock never deletes a live challenge early.
 * KEYS: 1 challenge. ARGV: 1 codeHash, 2 sealedPhone, 3 maskedPhone, 4 expiresAt.
 */
export const putSmsChallengeScript = defineLuaScript(
  'put-sms-challenge',
  `
local t = redis.call('TIME')
local redisNow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local left = tonumber(ARGV[4]) - redisNow
if left < 0 then left = 0 end
if left > 2592000000 then left = 2592000000 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'codeHash', ARGV[1], 'sealedPhone', ARGV[2], 'maskedPhone', ARGV[3], 'expiresAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', left + 3600000))
return 1
`,
);
