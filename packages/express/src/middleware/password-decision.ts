import type { SignInDecision } from '@mfa-kit/core';
import type { Request } from 'express';

/**
 * The sign-in decision `passwordGuard()` obtained with the password report
 * (core's `password.signIn`: one round trip for both), handed to
 * `startSignIn()` on the same request so it doesn't read policy, record and
 * limiter again. Kept per request object, for one user, and used once.
 */
const decisions = new WeakMap<Request, { userId: string; decision: SignInDecision }>();

/** Files the decision made for `userId` at the password step of `req`. */
export function holdSignInDecision(req: Request, userId: string, decision: SignInDecision): void {
  decisions.set(req, { userId, decision });
}

/** The decision filed for `userId` on `req`, taken (null when none, or it was made for someone else). */
export function takeSignInDecision(req: Request, userId: string): SignInDecision | null {
  const held = decisions.get(req);
  decisions.delete(req);
  return held !== undefined && held.userId === userId ? held.decision : null;
}
