import type { SessionData } from 'express-session';

/** What a session holds that ends with its pending sign-in: mfa-kit's own keys of a sign-in in progress. */
const PENDING_ONLY_KEYS = new Set(['cookie', 'mfaPending', 'mfaTotpEnrolment']);

/**
 * Whether express-session's `touch` of this session can be skipped: a session
 * that holds only a pending sign-in (no signed-in MFA state, none of the app's
 * own data) was saved at the password step with the cookie's lifetime
 * (`originalMaxAge`, which connect-redis turns into the key's TTL), and the
 * pending sign-in ends by itself `pendingTtlMs` after that step. When the
 * cookie outlives it, a touch (connect-redis: `EXPIRE`) can only extend a
 * session that has nothing left to do once the pending sign-in expires, so it
 * is not sent: each wrong code costs one command and one sequential round
 * trip fewer (issue 13).
 *
 * Touched as before:
 * - a browser-session cookie (no `maxAge`), or one shorter than the pending
 *   sign-in;
 * - a pending session that also holds the app's data (`keepSessionData`, or
 *   keys the app wrote since): on a rolling cookie only the touch keeps that
 *   data alive while it is used (`test/express/pending-touch-lifetime.test.ts`);
 * - every session of a store that decides the TTL itself (`storeTtlIsCookie`
 *   false, e.g. connect-redis with a `ttl` function): its TTL may end before
 *   the pending sign-in, and only touches extend it.
 */
export function pendingNeedsNoTouch(data: SessionData, storeTtlIsCookie = true): boolean {
  if (!storeTtlIsCookie) return false;
  const pending = data.mfaPending;
  if (pending === undefined || data.mfa !== undefined) return false;
  if (Object.keys(data).some((key) => !PENDING_ONLY_KEYS.has(key))) return false;
  const maxAge = data.cookie?.originalMaxAge;
  return typeof maxAge === 'number' && pending.expiresAt - pending.passwordAt <= maxAge;
}

/**
 * Whether `store` keeps a session as long as its cookie: false for a store
 * with a `ttl` function (connect-redis: the function's answer is the key's
 * TTL, whatever the cookie says).
 */
export function storeTtlFollowsCookie(store: object): boolean {
  return typeof (store as { ttl?: unknown }).ttl !== 'function';
}
