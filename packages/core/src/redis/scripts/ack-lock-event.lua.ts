import { defineLuaScript } from '../lua-script.js';

/**
 * Clears `lockPending` only if the lock is still lock `lockId`: a late ack for
 * an older lock must not hide the pending event of a newer one.
 * KEYS: 1 limits. ARGV: 1 lockId.
 */
export const ackLockEventScript = defineLuaScript(
  'ack-lock-event',
  `
if redis.call('HGET', KEYS[1], 'lockId') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'lockPending', 0)
  return 1
end
return 0
`,
);
