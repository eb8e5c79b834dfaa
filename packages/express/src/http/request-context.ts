import type { RequestContext } from '@mfa-kit/core';
import type { Request } from 'express';

/**
 * The request facts core records in events and uses for per-IP limits.
 * `req.ip` honours the app's `trust proxy` setting, so apps behind a proxy
 * must configure it or every user shares the proxy's IP budget.
 *
 * No `attemptId`: core would answer every submission naming the same attempt
 * as the success its first spend was, and parallel submissions of one code
 * from one pending sign-in would then all sign in (one code, many sessions;
 * `test/express/parallel-same-attempt.test.ts`). Until completing a pending
 * sign-in is itself claimed once, a code works once over HTTP, and a retry of
 * a spend whose answer timed out is refused like any replay.
 */
export function requestContext(req: Request): RequestContext {
  return { ip: req.ip, userAgent: req.get('user-agent') };
}
