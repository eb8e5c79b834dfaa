import type { EnrolResult } from '@mfa-kit/core';
import type { Response } from 'express';
import { fail } from './request.js';

/** A failed verification as returned by core (wrong code, cooldown, lock, not enrolled). */
export type VerifyFailure = Exclude<EnrolResult, { ok: true }>;

/**
 * Renders a failed verification as the uniform error body: the cooldown and
 * the lock carry `retryAfter` so the page can say how long to wait (seed 004).
 */
export function sendVerifyFailure(res: Response, result: VerifyFailure) {
  switch (result.code) {
    case 'INVALID_CODE':
      return fail(res, 'INVALID_CODE', {
        message: `The code is not valid. Check the code and try again (${result.remaining} attempt${result.remaining === 1 ? '' : 's'} left before a cooldown).`,
      });
    case 'COOLDOWN':
      return fail(res, 'COOLDOWN', { retryAfterMs: result.retryAfterMs });
    case 'ACCOUNT_LOCKED':
      return fail(
        res,
        'ACCOUNT_LOCKED',
        result.retryAfterMs === null ? {} : { retryAfterMs: result.retryAfterMs },
      );
    case 'NOT_ENROLLED':
      return fail(res, 'NOT_ENROLLED');
  }
}
