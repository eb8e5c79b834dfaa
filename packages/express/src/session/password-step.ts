import type { Request } from 'express';

const verified = new WeakSet<Request>();

/**
 * Marks that `passwordGuard()` accepted the password of this request without
 * reporting the success to core yet. The success is reported only once the
 * sign-in is complete (no second factor needed, or the second factor passed):
 * core resets the consecutive-failure count on any success, so reporting a
 * correct password before the second factor would let someone who knows the
 * password reset the lock counter between rounds of guessed codes.
 */
export function markPasswordVerified(req: Request): void {
  verified.add(req);
}

/** Whether {@link markPasswordVerified} was called for this request. */
export function isPasswordVerified(req: Request): boolean {
  return verified.has(req);
}
