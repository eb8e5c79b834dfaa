import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * The whole verification decision of `MfaStore.attempt` (see its JSDoc, the
 * specification; same rules as the memory limiter) in one script, hence one
 * atomic step and one round trip. Redis runs a script to completion before
 * any other command, so no other attempt can interleave between the
 * lock/cooldown checks, the TOTP step compare-and-set, the recovery SREM, the
 * SMS compare-and-delete and the counting: N parallel attempts behave like N
 * sequential ones.
 *
 * KEYS: 1 limits, 2 totp-step, 3 recovery set, 4 SMS challenge of the purpose.
 * ARGV: 1 family, 2 check type, 3 check value (step / hash; '' = null),
 *   4 outcome success ('1'/'0'), 5 maxFailures, 6 cooldownMs,
 *   7 countsTowardLock ('1'/'0'), 8 maxConsecutiveFailures, 9 lock mode,
 *   10 lock durationMs, 11 growthFactor, 12 maxDurationMs, 13 now (epoch ms),
 *   14 lock id to use if this attempt starts a lock.
 *
 * Reply (decoded by `decodeAttemptReply`):
 *   {1} ok · {2, reason, failures, remaining} INVALID_CODE ·
 *   {3, evaluated, started, retryAfterMs} COOLDOWN ·
 *   {4, evaluated, started, until ('' = permanent), lockId, eventPending} ACCOUNT_LOCKED.
 *
 * The SMS code hash is compared with `==`: Lua string comparison is not
 * constant-time, but what is compared is a keyed HMAC of the code (the key
 * never reaches Redis), so timing reveals at most how many leading characters
 * of an unpredictable MAC matched, which helps no attacker forge the next
 * one; and each wrong guess is counted toward the cooldown in this same script.
 */
export const attemptScript = defineLuaScript(
  'attempt',
  LIMITS_STATE_LUA +
    `
local limitsKey, stepKey, recoveryKey, smsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local family, checkType, value = ARGV[1], ARGV[2], ARGV[3]
local maxFailures = tonumber(ARGV[5])
local cooldownMs = tonumber(ARGV[6])
local countsTowardLock = ARGV[7] == '1'
local maxConsec = tonumber(ARGV[8])
local now = tonumber(ARGV[13])
local failField, cooldownField = 'f:' .. family, 'cd:' .. family

local s = loadLimits(limitsKey, now)

-- 1. locked (permanent, or temporary and not expired at now): nothing counted
if s.lockId ~= nil and (s.lockUntil == '' or now < tonumber(s.lockUntil)) then
  return {4, 0, 0, s.lockUntil, s.lockId, tonumber(s.lockPending or '0')}
end

-- 2. family cooling down: nothing counted
local cooldownUntil = tonumber(s[cooldownField] or '')
if cooldownUntil ~= nil and now < cooldownUntil then
  return {3, 0, 0, cooldownUntil - now}
end

-- 3. evaluate the check
local ok, reason = false, 'mismatch'
if checkType == 'totp' then
  if value ~= '' then
    local last = redis.call('GET', stepKey)
    if (not last) or tonumber(value) > tonumber(last) then
      redis.call('SET', stepKey, value)
      ok = true
    else
      reason = 'replay'
    end
  end
elseif checkType == 'recovery' then
  if value ~= '' and redis.call('SREM', recoveryKey, value) == 1 then ok = true end
elseif checkType == 'sms' then
  local challenge = redis.call('HMGET', smsKey, 'codeHash', 'expiresAt')
  if not challenge[1] then
    reason = 'missing'
  elseif now >= tonumber(challenge[2]) then
    -- an expired challenge is no challenge (and is dropped, like the memory store does)
    redis.call('DEL', smsKey)
    reason = 'missing'
  elseif value ~= '' and challenge[1] == value then
    redis.call('DEL', smsKey)
    ok = true
  end
elseif checkType == 'outcome' then
  ok = ARGV[4] == '1'
else
  return redis.error_reply('unknown check type')
end

s.touchedAt = num(now)
local failures = tonumber(s[failField] or '0')

-- 4. success resets the family and (if it counts toward the lock) the consecutive count
if ok then
  s[failField] = '0'
  if countsTowardLock then s.consec = '0' end
  saveLimits(limitsKey, s, now)
  return {1}
end

-- 5. failure: count, then lock, else cooldown, else invalid
failures = failures + 1
s[failField] = num(failures)
if countsTowardLock then
  local consec = tonumber(s.consec or '0') + 1
  s.consec = num(consec)
  if consec >= maxConsec then
    local locks = tonumber(s.locks or '0') + 1
    s.locks = num(locks)
    local untilText = ''
    if ARGV[9] == 'temporary' then
      local duration = tonumber(ARGV[10]) * (tonumber(ARGV[11]) ^ math.max(0, locks - 1))
      duration = math.floor(math.min(duration, tonumber(ARGV[12])))
      untilText = num(now + duration)
    end
    s[failField] = '0' -- the lock supersedes the family's cooldown
    s.lockId, s.lockUntil, s.lockReason, s.lockPending = ARGV[14], untilText, 'failures', '1'
    saveLimits(limitsKey, s, now)
    return {4, 1, 1, untilText, ARGV[14], 1}
  end
end
if failures >= maxFailures then
  s[cooldownField] = num(now + cooldownMs)
  s[failField] = '0'
  saveLimits(limitsKey, s, now)
  return {3, 1, 1, cooldownMs}
end
saveLimits(limitsKey, s, now)
return {2, reason, failures, maxFailures - failures}
`,
);
