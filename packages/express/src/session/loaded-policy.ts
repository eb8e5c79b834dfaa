import type { MfaPolicy } from '@mfa-kit/core';
import type { SessionData } from 'express-session';

/** The policy read beside each session load, by the loaded data object, until express-session builds the session. */
const bySessionData = new WeakMap<SessionData, MfaPolicy>();
/** The policy read beside this request's session load. */
const byRequest = new WeakMap<object, MfaPolicy>();

/** Remembers the policy read in parallel with loading `data` (`guard-session-store.ts`). */
export function rememberLoadedPolicy(data: SessionData, policy: MfaPolicy): void {
  bySessionData.set(data, policy);
}

/** Hands the policy read with `data` to the request express-session is building the session for. */
export function attachLoadedPolicy(req: object, data: SessionData): void {
  const policy = bySessionData.get(data);
  if (policy !== undefined) byRequest.set(req, policy);
}

/**
 * The policy read in the same round trip as this request's session (its
 * epoch read), or undefined when the session was not loaded from the store
 * (e.g. it was created by this very request). `requireMfa()` uses it so that
 * checking a signed-in session's factor against the current policy costs no
 * sequential round trip.
 */
export function loadedPolicy(req: object): MfaPolicy | undefined {
  return byRequest.get(req);
}
