import { defineLuaScript } from '../lua-script.js';

/**
 * The whole verification decision of `MfaStore.attempt` (see its JSDoc, the
 * specification) in one script, hence one atomic step and one round trip.
 * Redis runs a script to completion before any other command, so no other
 * attempt can interleave between the lock/cooldown checks, the TOTP step
 * compare-and-set, the recovery SREM, the SMS compare-and-delete and the
 * counting: N parallel attempts behave like N sequential ones.
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
 * of an unknowable MAC matched, which helps no attacker forge the next one;
 * and each wrong guess is counted toward the cooldown in this same script.
 */
export const attemptScript = defineLuaScript(
  'attempt',
  `
local limits, stepKey, recoveryKey, smsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local family, checkType, value = ARGV[1], ARGV[2], ARGV[3]
local maxFailures = tonumber(ARGV[5])
local cooldownMs = tonumber(ARGV[6])
local countsTowardLock = ARGV[7] == '1'
local maxConsec = tonumber(ARGV[8])
local now = tonumber(ARGV[13])
local DAY = 86400000
local failField, cooldownField = 'f:' .. family, 'cd:' .. family

local function num(x) return string.format('%.0f', x) end

-- Counters are forgotten 24 h after the last write, but never before an
-- active cooldown or temporary lock ends; a permanent lock never expires.
local function touch(untilMs)
  local lock = redis.call('HMGET', limits, 'lockId', 'lockUntil')
  if lock[1] and lock[2] == '' then
    redis.call('PERSIST', limits)
    return
  end
  local want = DAY
  if untilMs and untilMs - now > want then want = untilMs - now end
  if redis.call('PTTL', limits) < want then redis.call('PEXPIRE', limits, num(want)) end
end

local state = redis.call('HMGET', limits, 'lockId', 'lockUntil', 'lockPending', cooldownField)

-- 1. locked (permanent, or temporary and not expired at now)
if state[1] and (state[2] == '' or tonumber(state[2]) > now) then
  return {4, 0, 0, state[2], state[1], tonumber(state[3] or '0')}
end

-- 2. family cooling down
local cooldownUntil = tonumber(state[4] or '')
if cooldownUntil and cooldownUntil > now then
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
  elseif tonumber(challenge[2]) <= now then
    reason = 'expired'
  elseif value ~= '' and challenge[1] == value then
    redis.call('DEL', smsKey)
    ok = true
  end
elseif checkType == 'outcome' then
  ok = ARGV[4] == '1'
else
  return redis.error_reply('unknown check type')
end

-- 4. success resets the family and (if it counts toward the lock) the consecutive count
if ok then
  if countsTowardLock then
    redis.call('HDEL', limits, failField, 'consec')
  else
    redis.call('HDEL', limits, failField)
  end
  touch(nil)
  return {1}
end

-- 5. failure
local failures = redis.call('HINCRBY', limits, failField, 1)
if countsTowardLock then
  local consec = redis.call('HINCRBY', limits, 'consec', 1)
  if consec >= maxConsec then
    local locks = redis.call('HINCRBY', limits, 'locks', 1)
    local untilText, untilMs = '', nil
    if ARGV[9] == 'temporary' then
      local duration = tonumber(ARGV[10]) * (tonumber(ARGV[11]) ^ (locks - 1))
      local maxDuration = tonumber(ARGV[12])
      if duration > maxDuration then duration = maxDuration end
      untilMs = now + math.floor(duration)
      untilText = num(untilMs)
    end
    redis.call('HSET', limits, 'lockId', ARGV[14], 'lockUntil', untilText, 'lockReason', 'failures', 'lockPending', 1)
    touch(untilMs)
    return {4, 1, 1, untilText, ARGV[14], 1}
  end
end
if failures >= maxFailures then
  local untilMs = now + cooldownMs
  redis.call('HSET', limits, cooldownField, num(untilMs), failField, 0)
  touch(untilMs)
  return {3, 1, 1, cooldownMs}
end
touch(nil)
return {2, reason, failures, maxFailures - failures}
`,
);
