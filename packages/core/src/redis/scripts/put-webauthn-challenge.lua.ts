import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * `MfaStore.putWebAuthnChallenge`: adds one challenge to the user's
 * challenges HASH (see `webauthn.lua.ts`) with its expiry judged by Redis
 * `TIME` + `ttlMs` (the clock of the scripts that consume it), drops expired
 * ones and, past `max`, the ones expiring first; the key's TTL follows the
 * latest expiry (garbage collection only).
 * KEYS: 1 challenges (HASH). ARGV: 1 JSON { challenge, purpose, binding, ttlMs, max, now? }.
 */
export const putWebAuthnChallengeScript = defineLuaScript(
  'put-webauthn-challenge',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
local ttl = math.max(0, math.min(a.ttlMs, 3600000))
local live = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local e = tonumber(cjson.decode(all[i + 1]).e)
  if now >= e then redis.call('HDEL', KEYS[1], all[i]) else table.insert(live, {all[i], e}) end
end
redis.call('HSET', KEYS[1], a.challenge, cjson.encode({p = a.purpose, b = a.binding, e = num(now + ttl)}))
table.insert(live, {a.challenge, now + ttl})
if #live > a.max then
  table.sort(live, function(x, y) return x[2] < y[2] end)
  for i = 1, #live - a.max do redis.call('HDEL', KEYS[1], live[i][1]) end
end
local latest = 0
for _, entry in ipairs(live) do if entry[2] > latest then latest = entry[2] end end
redis.call('PEXPIRE', KEYS[1], num(math.max(latest - now, ttl) + 60000))
return 1
`,
);
