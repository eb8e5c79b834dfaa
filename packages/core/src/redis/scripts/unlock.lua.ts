import { defineLuaScript } from '../lua-script.js';

/**
 * Lifts the lock and clears the consecutive count and every family's
 * failures and cooldown, keeping only the count of locks started (temporary
 * locks keep growing) and `touchedAt`. Without a permanent lock the key gets
 * a 24 h garbage-collection TTL again (forgetting itself is judged against
 * `touchedAt` at the next read).
 * KEYS: 1 limits.
 */
export const unlockScript = defineLuaScript(
  'unlock',
  `
local keep = redis.call('HMGET', KEYS[1], 'locks', 'touchedAt')
redis.call('DEL', KEYS[1])
if keep[1] and keep[2] then
  redis.call('HSET', KEYS[1], 'locks', keep[1], 'touchedAt', keep[2])
  redis.call('PEXPIRE', KEYS[1], 86400000)
end
return 1
`,
);
