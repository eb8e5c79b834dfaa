import type { Clock, Mfa } from '@mfa-kit/core';
import type { Request } from 'express';
import { requestContext } from '../http/request-context.js';
import type { PendingSignIn } from './session-data.js';

/** The pending sign-in of a request, if any. */
export type PendingLookup =
  | { state: 'none' }
  | { state: 'expired'; pending: PendingSignIn }
  | { state: 'live'; pending: PendingSignIn };

/**
 * Reads the pending sign-in from the session. An expired one is removed and
 * recorded as a SESSION_EXPIRED event (seed 004: "If the session times out, a
 * Session Expired error message is displayed"), so the caller only has to
 * answer SESSION_EXPIRED. The expiry is checked against the injected clock.
 */
export async function readPending(req: Request, mfa: Mfa, clock: Clock): Promise<PendingLookup> {
  const pending = req.session?.mfaPending;
  if (pending === undefined) return { state: 'none' };
  if (pending.expiresAt > clock.now()) return { state: 'live', pending };
  delete req.session.mfaPending;
  delete req.session.mfaTotpEnrolment;
  const ctx = requestContext(req);
  await mfa.events.record({
    type: 'SESSION_EXPIRED',
    userId: pending.userId,
    orgId: pending.orgId,
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent ?? null,
    details: { stage: pending.stage === 'enrol' ? 'enrolment' : 'challenge' },
  });
  return { state: 'expired', pending };
}
