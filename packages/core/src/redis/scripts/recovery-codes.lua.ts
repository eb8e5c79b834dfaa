/**
 * Lua helpers for a user's recovery codes, prepended to the scripts that
 * read or change them (not a script of its own).
 *
 * Storage: the record's `rc` field holds one 16-byte token per unused code,
 * concatenated (10 codes: 160 bytes in the record instead of a 10-member SET
 * of 43-character hashes beside it: about 680 B per enrolled user instead of
 * 1,520 B, and no second key without a TTL). A token is the first 128 bits of
 * SHA-1 over the code's keyed hash (the HMAC the port hands over), computed
 * here with `redis.sha1hex`, so every caller and the migration below derive
 * it the same way. Guessing a code still means guessing an 80-bit code whose
 * MAC key never reaches Redis; a 128-bit token makes an accidental match of a
 * wrong code a 2^-128 event per stored code.
 *
 * Old data (the `recovery` SET of full hashes, before this layout) stays
 * valid: `countRecoveryCodes` counts it, and the first script that spends a
 * code (`spendRecoveryCode`) moves the whole set into `rc` atomically (and
 * deletes the SET); `replace-recovery-codes` and `reset-factors` delete it.
 *
 * A SET that exists wins over `rc`: this version deletes the SET whenever it
 * writes `rc`, so both exist only when a process of the previous version
 * (during a rolling deploy) regenerated the codes after `rc` was written; its
 * SET is then the newer set and the codes in `rc` are the replaced ones. (Two
 * mixed-version cases this can't see, since the old version leaves nothing
 * behind: its reset, and its spend of a SET's last code, leave `rc` as it
 * was; see the core README, "Upgrading".)
 *
 * Functions: `recoveryToken(hash)`, `countRecoveryCodes(recordKey, recoveryKey)`,
 * `spendRecoveryCode(recordKey, recoveryKey, hash)` → true when a code was spent.
 */
export const RECOVERY_CODES_LUA = `
local RC_TOKEN_BYTES = 16

local function recoveryToken(hash)
  local hex = string.sub(redis.sha1hex(hash), 1, RC_TOKEN_BYTES * 2)
  return (string.gsub(hex, '..', function(pair) return string.char(tonumber(pair, 16)) end))
end

local function countRecoveryCodes(recordKey, recoveryKey)
  local legacy = redis.call('SCARD', recoveryKey)
  if legacy > 0 then return legacy end
  local rc = redis.call('HGET', recordKey, 'rc')
  if rc then return #rc / RC_TOKEN_BYTES end
  return 0
end

local function loadRecoveryTokens(recordKey, recoveryKey)
  local legacy = redis.call('SMEMBERS', recoveryKey)
  if #legacy == 0 then return redis.call('HGET', recordKey, 'rc') or '' end
  -- the SET replaces whatever rc holds (see above: it is the newer set)
  local tokens = {}
  for i, hash in ipairs(legacy) do tokens[i] = recoveryToken(hash) end
  local rc = table.concat(tokens)
  redis.call('HSET', recordKey, 'rc', rc)
  redis.call('DEL', recoveryKey)
  return rc
end

local function spendRecoveryCode(recordKey, recoveryKey, hash)
  local rc = loadRecoveryTokens(recordKey, recoveryKey)
  local token = recoveryToken(hash)
  for i = 1, #rc, RC_TOKEN_BYTES do
    if string.sub(rc, i, i + RC_TOKEN_BYTES - 1) == token then
      local rest = string.sub(rc, 1, i - 1) .. string.sub(rc, i + RC_TOKEN_BYTES)
      if rest == '' then redis.call('HDEL', recordKey, 'rc') else redis.call('HSET', recordKey, 'rc', rest) end
      return true
    end
  end
  return false
end
`;
