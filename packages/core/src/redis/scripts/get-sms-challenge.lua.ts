import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Reads the pending SMS challenge of one purpose if it is live by the script's
 * clock (the clock it was stored and is judged by).
 * KEYS: 1 challenge (HASH). ARGV: 1 JSON { now? }.
 * Reply: JSON { now } without a live challenge, else
 *   { now, codeHash, sealedPhone, maskedPhone, expiresAt }.
 */
export const getSmsChallengeScript = defineLuaScript(
  'get-sms-challenge',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
local h = redis.call('HMGET', KEYS[1], 'codeHash', 'sealedPhone', 'maskedPhone', 'expiresAt')
if not h[1] or now >= tonumber(h[4]) then return cjson.encode({now = now}) end
return cjson.encode({now = now, codeHash = h[1], sealedPhone = h[2] or '', maskedPhone = h[3] or '',
  expiresAt = tonumber(h[4])})
`,
);
