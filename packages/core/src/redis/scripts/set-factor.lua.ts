import { defineLuaScript } from '../lua-script.js';

/**
 * Sets (or with '' removes) one factor field and makes sure the record exists,
 * atomically, so a concurrent `getRecord` never sees a factor without a record.
 * Removing a factor that was there bumps the session epoch in the same step
 * (ARCHITECTURE "Session model": factor removal ends every session).
 * KEYS: 1 record. ARGV: 1 field (`totp`/`sms`), 2 JSON or ''.
 */
export const setFactorScript = defineLuaScript(
  'set-factor',
  `
if ARGV[2] == '' then
  if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'epoch', 1) end
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('HSETNX', KEYS[1], 'epoch', 0)
return 1
`,
);
