/**
 * Lua shared by the scripts that judge time or read and write a user's
 * `limits` hash (see `keys.ts`), prepended to their source. Not a script of
 * its own.
 *
 * One clock: `clockNow(args)` is Redis `TIME` in epoch ms, so every app
 * server, whatever its own clock, sees the same cooldowns, locks, windows and
 * forgetting (issue 10). Only when the backend was created with
 * `clockSource: 'caller'` (single-process tests that simulate time) does the
 * caller's `args.now` win. Redis 7 replicates scripts by their effects, so
 * reading `TIME` before writing is allowed and replicas apply the same values.
 *
 * The forgetting rule mirrors `limiter/limiter-state.ts` exactly: state is
 * forgotten 24 h after its last write (`touchedAt`), later while a cooldown or
 * temporary lock outlives that, never while a permanent lock is set. The
 * key's real TTL follows the same rule and only collects garbage.
 *
 * Defines: `num(x)`, `clockNow(args)`, `loadLimits(key, now)` → table
 * (forgets stale state), `saveLimits(key, state, now)` (rewrites the hash and
 * its TTL).
 */
export const LIMITS_STATE_LUA = `
local DAY = 86400000

local function num(x) return string.format('%.0f', x) end

local function clockNow(args)
  if args.now ~= nil then return args.now end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function permanentLock(s) return s.lockId ~= nil and s.lockUntil == '' end

-- When the state is forgotten (epoch ms), or nil when never.
local function forgetAt(s)
  if s.touchedAt == nil or permanentLock(s) then return nil end
  local at = tonumber(s.touchedAt) + DAY
  if s.lockId ~= nil then at = math.max(at, tonumber(s.lockUntil)) end
  for field, value in pairs(s) do
    if string.sub(field, 1, 3) == 'cd:' then at = math.max(at, tonumber(value)) end
  end
  return at
end

local function loadLimits(key, now)
  local flat = redis.call('HGETALL', key)
  local s = {}
  for i = 1, #flat, 2 do s[flat[i]] = flat[i + 1] end
  local at = forgetAt(s)
  if at ~= nil and now >= at then
    redis.call('DEL', key)
    return {}
  end
  return s
end

local function saveLimits(key, s, now)
  redis.call('DEL', key)
  local flat = {}
  for field, value in pairs(s) do
    flat[#flat + 1] = field
    flat[#flat + 1] = value
  end
  if #flat == 0 then return end
  redis.call('HSET', key, unpack(flat))
  local at = forgetAt(s)
  if at ~= nil then
    if at <= now then
      redis.call('DEL', key)
    else
      redis.call('PEXPIRE', key, num(at - now))
    end
  end
end

local function lockInForce(s, now)
  return s.lockId ~= nil and (s.lockUntil == '' or now < tonumber(s.lockUntil))
end
`;
