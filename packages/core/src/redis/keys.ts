/**
 * Redis key layout of the Redis backend.
 *
 * Every per-user key carries the user's hash tag `{u:<id>}` so that one Lua
 * script can touch all of them on Redis Cluster (all keys of a script must
 * hash to one slot). The user id is percent-escaped (`%`, `{`, `}`) before it
 * goes into the tag: an id containing `}` would otherwise end the tag early,
 * and two users could then share a slot or, worse, a key.
 *
 * Per user (`${prefix}{u:<id>}:…`):
 * - `record` HASH: `totp` / `sms` (JSON factors), `totpStep` (the last
 *   accepted step of the TOTP factor: replay state belongs to the factor and
 *   is removed with it, RFC 6238 §5.2), `epoch`, `grace`, `rc` (one 16-byte
 *   token per unused recovery code, concatenated; `scripts/recovery-codes.lua.ts`);
 *   no TTL. The record exists iff the hash exists.
 * - `totp-step` STRING: the previous layout's last accepted step; read
 *   (and folded into `record`'s `totpStep`, then deleted) by the attempt
 *   script only, never written.
 * - `recovery`: the SET of recovery-code hashes of the layout before `rc`;
 *   read, then moved into `rc` by the first spend and deleted by a
 *   replacement or reset. New data never creates it.
 * - `sms:sign-in`, `sms:setup` HASH: a pending SMS challenge (`codeHash`,
 *   `sealedPhone`, `maskedPhone`, `expiresAt`); a garbage-collection TTL a
 *   little past `expiresAt` (expiry is judged by Redis `TIME`).
 * - `limits` HASH: the whole limiter state in one key, read with one HGETALL
 *   by the scripts: `consec` (consecutive failures), `f:<family>` (family
 *   failures), `cd:<family>` (cooldown until, epoch ms), `cn:<family>`
 *   (cooldowns in a row, for cooldown growth), `locks` (failure locks
 *   started, for temporary-lock growth), `touchedAt` (last write, epoch ms)
 *   and the lock: `lockId`, `lockUntil` (`''` = permanent), `lockReason`,
 *   `lockPending` ('1' while its ACCOUNT_LOCK event is unacknowledged),
 *   and the retry marker of the last spend by a named attempt: `retryId`,
 *   `retrySpent`, `retryUntil` (`limiter/retry.ts`).
 *   Forgotten 24 h after `touchedAt` (later while a cooldown or temporary
 *   lock outlives that), like the memory store; the key TTL mirrors it for
 *   garbage collection; no TTL while a permanent lock is set
 *   (`scripts/limits-state.lua.ts`).
 *   Unknown usernames have the same `limits` hash under the user id
 *   `?name:<keyed hash of the normalised username>` and nothing else.
 * - `record`'s `wa` field: the WebAuthn credentials (JSON array, with each
 *   credential's signature counter; `stored-webauthn-credentials.ts`).
 * - `webauthn:challenges` HASH: pending WebAuthn challenges, field = the
 *   challenge, value = `{ p: purpose, b: binding, e: expiresAt }`
 *   (`scripts/webauthn.lua.ts`); a garbage-collection TTL a little past the
 *   latest expiry (expiry is judged by Redis `TIME`).
 * - `devices` HASH: trusted devices ("remember this device"), field = device
 *   id, value = the device as JSON (the token's secret only as a keyed hash);
 *   a garbage-collection TTL a little past the latest `expiresAt` (validity
 *   is judged by core's clock, see `redis-trusted-device-store.ts`).
 *
 * Every time in these keys is Redis `TIME` (epoch ms), read inside the
 * scripts: one clock for every app server.
 *
 * Shared: counters `${prefix}c:{<key>}` (the whole counter key is the tag; a
 * HASH for fixed windows, a ZSET of reservations for sliding budgets such as
 * the per-address second-factor budget), policy `${prefix}policy`, events
 * stream `${prefix}events` (capped by count), audit stream `${prefix}audit`
 * (admin actions and locks, trimmed by age only; see `AUDIT_EVENT_TYPES`),
 * deployment marker `${prefix}deployment` (`deployment-marker.ts`).
 */

/** Escapes the characters that would break a hash tag; injective (`%` is escaped too). */
export function escapeTagPart(value: string): string {
  // Most ids have none of them: no regex replace per key on the hot path.
  if (value.indexOf('%') < 0 && value.indexOf('{') < 0 && value.indexOf('}') < 0) return value;
  return value.replace(/[%{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The user's hash tag, `{u:<escaped id>}`: every per-user key of mfa-kit
 * (and `@mfa-kit/express`'s session index) carries it, so they share one
 * Redis Cluster slot.
 */
export function userHashTag(userId: string): string {
  return `{u:${escapeTagPart(userId)}}`;
}

/** Keys of one user, all sharing the user's hash tag. */
export interface UserKeys {
  record: string;
  recovery: string;
  smsSignIn: string;
  smsSetup: string;
  limits: string;
  /**
   * The layout before the TOTP step moved into `record` (issue 10): a STRING
   * with the last accepted step. Never written; the attempt script folds it
   * into `totpStep` (the larger wins) and deletes it, so an upgrade revives no
   * used step without any operator action.
   */
  legacyTotpStep: string;
  devices: string;
  /** Pending WebAuthn challenges (HASH). */
  webauthnChallenges: string;
}

/** Key builder for one prefix. */
export interface RedisKeys {
  user(userId: string): UserKeys;
  counter(key: string): string;
  policy: string;
  events: string;
  audit: string;
}

/** Builds the key layout documented in this file for `prefix` (e.g. `mfa:`). */
export function createRedisKeys(prefix: string): RedisKeys {
  return {
    user(userId) {
      const base = `${prefix}${userHashTag(userId)}:`;
      return {
        record: `${base}record`,
        recovery: `${base}recovery`,
        smsSignIn: `${base}sms:sign-in`,
        smsSetup: `${base}sms:setup`,
        limits: `${base}limits`,
        legacyTotpStep: `${base}totp-step`,
        devices: `${base}devices`,
        webauthnChallenges: `${base}webauthn:challenges`,
      };
    },
    counter: (key) => `${prefix}c:{${escapeTagPart(key)}}`,
    policy: `${prefix}policy`,
    events: `${prefix}events`,
    audit: `${prefix}audit`,
  };
}
