import type { SessionData } from 'express-session';

/**
 * Whether express-session's `touch` of this session can be skipped: a session
 * that holds only a pending sign-in (no signed-in MFA state) was saved at the
 * password step with the cookie's lifetime (`originalMaxAge`, which
 * connect-redis turns into the key's TTL), and the pending sign-in ends by
 * itself `pendingTtlMs` after that step. When the cookie outlives it, a touch
 * (connect-redis: `EXPIRE`) can only extend a session that has nothing left
 * to do once the pending sign-in expires, so it is not sent: each wrong code
 * costs one command and one sequential round trip fewer (issue 13).
 *
 * A browser-session cookie (no `maxAge`), or one shorter than the pending
 * sign-in, is touched as before.
 */
export function pendingNeedsNoTouch(data: SessionData): boolean {
  const pending = data.mfaPending;
  if (pending === undefined || data.mfa !== undefined) return false;
  const maxAge = data.cookie?.originalMaxAge;
  return typeof maxAge === 'number' && pending.expiresAt - pending.passwordAt <= maxAge;
}
