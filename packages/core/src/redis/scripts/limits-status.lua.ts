import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Reads a user's `limits` hash together with the script's clock, so the
 * status is judged (and translated into the caller's clock) at one instant.
 * Read-only: forgetting is applied by the reader (`limiter/limiter-status.ts`).
 * KEYS: 1 limits (HASH). ARGV: 1 JSON { now? }.
 * Reply: JSON { now, fields: { <field>: <value> } }.
 */
export const limitsStatusScript = defineLuaScript(
  'limits-status',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
local flat = redis.call('HGETALL', KEYS[1])
local fields = {}
for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
return cjson.encode({now = clockNow(a), fields = fields})
`,
);
