import type { MfaUser } from '@mfa-kit/core';
import type { Request } from 'express';
import { requestContext } from '../http/request-context.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import type { PendingSignIn } from './session-data.js';

/**
 * Reports the password success that `passwordGuard()` held back, now that the
 * second factor passed too (see `password-step.ts`): it clears the password
 * failure count without ever letting the password alone reset the lock counter.
 */
export async function reportPasswordSuccess(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  user: MfaUser,
  pending: PendingSignIn | null,
): Promise<void> {
  if (pending?.reportPassword !== true) return;
  await kit.mfa.password.report(user, true, requestContext(req));
}
