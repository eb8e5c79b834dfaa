import type { MfaUser } from '@mfa-kit/core';
import type { Request } from 'express';
import type { ResolvedMfaExpressOptions } from '../options.js';

/**
 * The MfaUser of a fully logged-in request, or null. A pending sign-in is
 * never logged in (it has no `req.user`), so it is null here too.
 */
export function signedInUser(kit: ResolvedMfaExpressOptions, req: Request): MfaUser | null {
  if (typeof req.isAuthenticated !== 'function' || !req.isAuthenticated() || req.user === undefined)
    return null;
  return kit.userFromRequest(req.user);
}
