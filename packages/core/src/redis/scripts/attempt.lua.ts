import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';
import { RECOVERY_CODES_LUA } from './recovery-codes.lua.js';
import { WEBAUTHN_LUA } from './webauthn.lua.js';

/**
 * The whole verification decision of `MfaStore.attempt` in one script, hence
 * one atomic step and one round trip. It is the Lua twin of
 * `limiter/decide-attempt.ts` (the rules; the port's JSDoc is the
 * specification): Redis runs a script to completion before any other
 * command, so no other attempt can interleave between the lock/cooldown
 * checks, the TOTP step compare-and-set, the recovery-code removal, the SMS
 * compare-and-delete and the counting; N parallel attempts behave like N
 * sequential ones. Time is Redis `TIME` (see `limits-state.lua.ts`).
 *
 * KEYS: 1 limits (HASH), 2 record (HASH; `totp` factor and its `totpStep`,
 *   recovery-code tokens `rc`), 3 the old recovery SET (read and migrated
 *   only, `recovery-codes.lua.ts`), 4 SMS challenge of the check's purpose (HASH),
 *   5 the previous layout's `totp-step` (STRING; read, folded into `totpStep`, deleted),
 *   6 WebAuthn challenges (HASH, `webauthn.lua.ts`; the record's `wa` holds the credentials).
 * ARGV: 1 JSON object:
 *   family: string;
 *   check: { type: 'totp', step?, enrolledAt? } | { type: 'recovery', hash? } | { type: 'sms', hash?, purpose }
 *        | { type: 'webauthn', challenge?, binding, credentialId?, verified, counter, backedUp }
 *        | { type: 'outcome', success: boolean };   (absent step/hash/challenge/credentialId = null)
 *   retry?: { attemptId, windowMs }   (the retry marker, `limiter/retry.ts`);
 *   limits: { maxFailures, cooldownMs, cooldownGrowthFactor, maxCooldownMs, countsTowardLock };
 *   lock: { maxConsecutiveFailures, mode, durationMs, growthFactor, maxDurationMs };
 *   lockId: id to use if this attempt starts a lock;
 *   now?: epoch ms (only with `clockSource: 'caller'`).
 * Reply: JSON `{ now, code, … }` decoded by `decodeAttemptReply`:
 *   `OK` · `INVALID_CODE` reason, failures, remaining (`evaluated = false` with reason `retry`) ·
 *   `COOLDOWN` evaluated, started, retryAfterMs ·
 *   `ACCOUNT_LOCKED` evaluated, started, lockedUntil (absent = permanent), lockId, eventPending.
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
    RECOVERY_CODES_LUA +
    WEBAUTHN_LUA +
    `
local limitsKey, recordKey, recoveryKey, smsKey, legacyStepKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local webauthnKey = KEYS[6]
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
local family, check, limits, lock = a.family, a.check, a.limits, a.lock
local failField, cooldownField, streakField = 'f:' .. family, 'cd:' .. family, 'cn:' .. family

local s = loadLimits(limitsKey, now)

-- 1. locked (permanent, or temporary and not expired): nothing counted; a wrong password is counted and
--    answered as such all the same (a lock is revealed only to whoever presents the correct password)
local wrongPassword = family == 'password' and check.type == 'outcome' and check.success ~= true
if lockInForce(s, now) and not wrongPassword then
  local untilAt = nil
  if s.lockUntil ~= '' then untilAt = tonumber(s.lockUntil) end
  return cjson.encode({now = now, code = 'ACCOUNT_LOCKED', evaluated = false, started = false,
    lockedUntil = untilAt, lockId = s.lockId, eventPending = s.lockPending == '1'})
end

-- 2. family cooling down: nothing counted
local cooldownUntil = tonumber(s[cooldownField] or '')
if cooldownUntil ~= nil and now < cooldownUntil then
  return cjson.encode({now = now, code = 'COOLDOWN', evaluated = false, started = false,
    retryAfterMs = cooldownUntil - now})
end

-- 3. evaluate the check
local ok, reason = false, 'mismatch'
local spent = nil -- what a success of this check spends, named as limiter/retry.ts spendOf does
if check.type == 'totp' then
  -- replay state belongs to the TOTP factor: its field lives (and dies) next to the factor
  local f = redis.call('HMGET', recordKey, 'totp', 'totpStep')
  -- the previous layout kept the step in a key of its own: the larger of both counts (an upgrade revives nothing)
  local legacy = redis.call('GET', legacyStepKey)
  if legacy then
    if f[1] and ((not f[2]) or tonumber(legacy) > tonumber(f[2])) then
      redis.call('HSET', recordKey, 'totpStep', legacy)
      f[2] = legacy
    end
    redis.call('DEL', legacyStepKey)
  end
  if check.step ~= nil then
    local enrolledAt = ''
    if check.enrolledAt ~= nil then enrolledAt = num(check.enrolledAt) end
    spent = 'totp:' .. enrolledAt .. ':' .. num(check.step)
  end
  -- bound to the factor the step was matched against: a secret replaced meanwhile matches nothing
  local sameFactor = f[1] and (check.enrolledAt == nil or cjson.decode(f[1]).enrolledAt == check.enrolledAt)
  if check.step ~= nil and sameFactor then
    if (not f[2]) or check.step > tonumber(f[2]) then
      redis.call('HSET', recordKey, 'totpStep', num(check.step))
      ok = true
    else
      reason = 'replay'
    end
  end
elseif check.type == 'recovery' then
  if check.hash ~= nil then spent = 'recovery:' .. check.hash end
  if check.hash ~= nil and spendRecoveryCode(recordKey, recoveryKey, check.hash) then ok = true end
elseif check.type == 'sms' then
  if check.hash ~= nil then spent = 'sms:' .. check.purpose .. ':' .. check.hash end
  local challenge = redis.call('HMGET', smsKey, 'codeHash', 'expiresAt')
  if not challenge[1] then
    reason = 'missing'
  elseif now >= tonumber(challenge[2]) then
    -- an expired challenge is no challenge (and is dropped, like the memory store does)
    redis.call('DEL', smsKey)
    reason = 'missing'
  elseif check.hash ~= nil and challenge[1] == check.hash then
    redis.call('DEL', smsKey)
    ok = true
  end
elseif check.type == 'webauthn' then
  -- the challenge is spent by whoever presents it under its binding, whatever follows (single-use)
  if not takeWebAuthnChallenge(webauthnKey, check.challenge, 'sign-in', check.binding, now) then
    reason = 'missing'
  else
    local list = loadCredentials(recordKey)
    local cred = nil
    for _, c in ipairs(list) do
      if check.credentialId ~= nil and c.id == check.credentialId then cred = c end
    end
    if check.verified ~= true or cred == nil then
      reason = 'mismatch'
    elseif (check.counter > 0 or cred.c > 0) and check.counter <= cred.c then
      reason = 'counter'
    else
      cred.c, cred.lu, cred.bs = check.counter, now, check.backedUp == true
      saveCredentials(recordKey, list)
      ok = true
    end
  end
elseif check.type == 'outcome' then
  ok = check.success == true
else
  return redis.error_reply('unknown check type')
end

-- the same attempt presenting what it already spent (its answer was lost): refused, nothing charged or changed
local retry = a.retry
local failures = tonumber(s[failField] or '0')
if ok and spent ~= nil then
  if retry ~= nil then
    s.retryId, s.retrySpent, s.retryUntil = retry.attemptId, spent, num(now + retry.windowMs)
  else
    s.retryId, s.retrySpent, s.retryUntil = nil, nil, nil
  end
elseif (not ok) and spent ~= nil and retry ~= nil and (check.type ~= 'totp' or reason == 'replay')
    and s.retryId == retry.attemptId and s.retrySpent == spent and now < tonumber(s.retryUntil) then
  return cjson.encode({now = now, code = 'INVALID_CODE', evaluated = false, reason = 'retry',
    failures = failures, remaining = limits.maxFailures - failures})
end

s.touchedAt = num(now)

-- 4. success resets the family; a second factor (never a password) also resets the consecutive count
if ok then
  s[failField], s[streakField] = '0', '0'
  if limits.countsTowardLock and family ~= 'password' then s.consec = '0' end
  saveLimits(limitsKey, s, now)
  return cjson.encode({now = now, code = 'OK'})
end

-- 5. failure: count, then lock, else a (growing) cooldown, else invalid
failures = failures + 1
s[failField] = num(failures)
if limits.countsTowardLock then
  local consec = tonumber(s.consec or '0') + 1
  s.consec = num(consec)
  if consec >= lock.maxConsecutiveFailures then
    local locks = tonumber(s.locks or '0') + 1
    s.locks = num(locks)
    local untilAt = nil
    s.lockUntil = ''
    if lock.mode == 'temporary' then
      local duration = lock.durationMs * (lock.growthFactor ^ math.max(0, locks - 1))
      untilAt = now + math.floor(math.min(duration, lock.maxDurationMs))
      s.lockUntil = num(untilAt)
    end
    s[failField] = '0' -- the lock supersedes the family's cooldown
    s.lockId, s.lockReason, s.lockPending = a.lockId, 'failures', '1'
    saveLimits(limitsKey, s, now)
    return cjson.encode({now = now, code = 'ACCOUNT_LOCKED', evaluated = true, started = true,
      lockedUntil = untilAt, lockId = a.lockId, eventPending = true})
  end
end
if failures >= limits.maxFailures then
  local streak = tonumber(s[streakField] or '0') + 1
  local cap = math.max(limits.maxCooldownMs, limits.cooldownMs)
  local duration = math.floor(math.min(limits.cooldownMs * (limits.cooldownGrowthFactor ^ (streak - 1)), cap))
  s[streakField] = num(streak)
  s[cooldownField] = num(now + duration)
  s[failField] = '0'
  saveLimits(limitsKey, s, now)
  return cjson.encode({now = now, code = 'COOLDOWN', evaluated = true, started = true, retryAfterMs = duration})
end
saveLimits(limitsKey, s, now)
return cjson.encode({now = now, code = 'INVALID_CODE', reason = reason, failures = failures,
  remaining = limits.maxFailures - failures})
`,
);
