import type { MfaContext } from './context.js';

/**
 * Runs after a store operation that bumped the user's epoch: the eager
 * deletion of the user's sessions (optional; security rests on the epoch)
 * and the audit event run side by side, so a failing event append can't skip
 * the deletion. The event's failure is still reported to the caller.
 */
export async function afterSessionsEnded(
  mfa: MfaContext,
  userId: string,
  recorded: Promise<unknown>,
): Promise<void> {
  const revoker = mfa.options.sessionRevoker;
  const [event] = await Promise.allSettled([recorded, revoker?.revokeAll(userId)]);
  if (event.status === 'rejected') throw event.reason;
}
