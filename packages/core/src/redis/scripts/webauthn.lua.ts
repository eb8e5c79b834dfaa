/**
 * Lua shared by the scripts that touch WebAuthn state (needs `num` from
 * `limits-state.lua.ts`).
 *
 * Challenges live in the user's `webauthn:challenges` HASH: field = the
 * challenge, value = JSON `{ p: purpose, b: binding, e: expiresAt }` (Redis
 * `TIME` ms). Credentials live in the record's `wa` field as a JSON array in
 * the encoding of `stored-webauthn-credentials.ts` (transports as one string,
 * because cjson writes an empty array back as `{}`); the scripts only read
 * and write `id`, `c` (counter), `lu` (last used) and `bs` (backed up).
 *
 * Defines:
 * - `takeWebAuthnChallenge(key, value, purpose, binding, now)` → true when
 *   the challenge was live, of that purpose and binding (it is deleted then,
 *   expired or not: single-use); a challenge of another binding or purpose is
 *   left alone (presenting someone else's challenge must not cancel it);
 * - `loadCredentials(recordKey)` → array table (empty when none);
 * - `saveCredentials(recordKey, list)` (removes the field when empty).
 */
export const WEBAUTHN_LUA = `
local function takeWebAuthnChallenge(key, value, purpose, binding, now)
  if value == nil then return false end
  local raw = redis.call('HGET', key, value)
  if not raw then return false end
  local c = cjson.decode(raw)
  if c.p ~= purpose or c.b ~= binding then return false end
  redis.call('HDEL', key, value)
  return now < tonumber(c.e)
end

local function loadCredentials(recordKey)
  local raw = redis.call('HGET', recordKey, 'wa')
  if not raw then return {} end
  return cjson.decode(raw)
end

local function saveCredentials(recordKey, list)
  if #list == 0 then
    redis.call('HDEL', recordKey, 'wa')
  else
    redis.call('HSET', recordKey, 'wa', cjson.encode(list))
  end
end
`;
