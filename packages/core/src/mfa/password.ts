import type { PasswordReport } from '../api.js';
import type { MfaUser, RequestContext } from '../types.js';
import { runAttempt } from './attempt.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';

/**
 * The app's password check, reported through the atomic limiter (family
 * `password`) as ONE decision: the cooldown check, the count of a failure and
 * the reset of a success happen in the same store operation (issue 10 item 8:
 * no status read before the reset).
 *
 * Password failures need nothing but a username, so by default they only
 * ever lead to growing temporary cooldowns, never to the account lock
 * (`limits.password`, core README "Attempt limiting"). A correct password is
 * refused while the user is locked or cooling down; it never resets the
 * second-factor lock count (a password is half a sign-in). The per-address
 * budget is not consulted: it guards second factors only, so the password
 * step of other users behind a busy address is never refused.
 */
export async function reportPassword(
  mfa: MfaContext,
  user: MfaUser,
  success: boolean,
  ctx: RequestContext,
): Promise<PasswordReport> {
  assertUser(user);
  const subject = {
    user,
    ctx: ctx ?? {},
    family: 'password' as const,
    factor: 'password' as const,
    malformed: false,
  };
  return runAttempt(mfa, subject, { type: 'outcome', success: success === true }, mfa.now());
}

/** Username normalisation for the unknown-username limiter: NFKC, trimmed, lower case. */
export function normalizeUsername(username: unknown): string {
  return typeof username === 'string' ? username.normalize('NFKC').trim().toLowerCase() : '';
}

/**
 * The limiter id of a username that matched no user: a keyed hash (the
 * instance's hash key, purpose `unknown-username`) of the normalised name, so
 * the store never holds the typed name and nobody without the key can link
 * the entry to it. It can't collide with a real user id without the key.
 */
export function unknownUserLimiterId(mfa: MfaContext, username: unknown): string {
  return `?name:${mfa.hasher.hash('unknown-username', normalizeUsername(username))}`;
}

/**
 * A sign-in attempt for a username that matched no user, counted exactly like
 * a wrong password of a known user: same family, same limits, same store
 * operation and events, so the status sequence (INVALID_CODE, then COOLDOWN
 * with the same `retryAfterMs`) and the work done can't reveal which
 * usernames exist. The state is forgotten like any limiter state (24 h after
 * the last failure, or when the cooldown ends if later).
 */
export async function reportUnknownUser(
  mfa: MfaContext,
  username: unknown,
  ctx: RequestContext,
): Promise<PasswordReport> {
  const subject = {
    user: null,
    limiterId: unknownUserLimiterId(mfa, username),
    ctx: ctx ?? {},
    family: 'password' as const,
    factor: 'password' as const,
    malformed: false,
  };
  return runAttempt(mfa, subject, { type: 'outcome', success: false }, mfa.now());
}
