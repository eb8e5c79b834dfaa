import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Replaces the pending SMS challenge of one purpose. Its expiry is Redis
 * `TIME` + `ttlMs` (one clock with the attempt script that judges it); the
 * key's TTL collects garbage one hour later.
 * KEYS: 1 challenge (HASH).
 * ARGV: 1 JSON { codeHash, sealedPhone, maskedPhone, ttlMs, now? }.
 */
export const putSmsChallengeScript = defineLuaScript(
  'put-sms-challenge',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
local ttl = math.max(0, math.min(a.ttlMs, 2592000000))
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'codeHash', a.codeHash, 'sealedPhone', a.sealedPhone,
  'maskedPhone', a.maskedPhone, 'expiresAt', num(now + ttl))
redis.call('PEXPIRE', KEYS[1], num(ttl + 3600000))
return 1
`,
);
