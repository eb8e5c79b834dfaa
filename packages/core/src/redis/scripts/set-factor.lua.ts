import { defineLuaScript } from '../lua-script.js';

/**
 * Sets (or with '' removes) one factor field and makes sure the record exists,
 * atomically, so a concurrent `getRecord` never sees a factor without a record.
 * Removing a factor that was there bumps the session epoch in the same step
 * (ARCHITECTURE "Session model": factor removal ends every session).
 * Setting or removing the TOTP factor clears its used steps (`totpStep`)
 * (a new factor starts with the step that confirmed it) unless it is the same
 * factor re-sealed (same `enrolledAt`, see `reencrypt`).
 * KEYS: 1 record (HASH). ARGV: 1 field (`totp`/`sms`), 2 JSON or '' (remove),
 *   3 for a new TOTP factor: the step that confirmed it, its first used step ('' = none),
 *   4 '1': set only if the field is absent (enrolment and import never replace a factor).
 * Reply: 1 written, 0 not (ARGV 4 and the factor was there).
 */
export const setFactorScript = defineLuaScript(
  'set-factor',
  `
if ARGV[4] == '1' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
-- replay state belongs to the TOTP factor: a new (or no) secret starts with no used steps;
-- the same factor re-sealed (key rotation keeps its enrolledAt) keeps them
if ARGV[1] == 'totp' then
  local old = redis.call('HGET', KEYS[1], 'totp')
  local same = false
  if old and ARGV[2] ~= '' then same = cjson.decode(old).enrolledAt == cjson.decode(ARGV[2]).enrolledAt end
  if not same then
    redis.call('HDEL', KEYS[1], 'totpStep')
    if ARGV[3] ~= nil and ARGV[3] ~= '' and ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'totpStep', ARGV[3]) end
  end
end
if ARGV[2] == '' then
  if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'epoch', 1) end
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('HSETNX', KEYS[1], 'epoch', 0)
return 1
`,
);
