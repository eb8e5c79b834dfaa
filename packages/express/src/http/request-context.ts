import { createHash } from 'node:crypto';
import type { RequestContext } from '@mfa-kit/core';
import type { Request } from 'express';

/**
 * The request facts core records in events and uses for per-IP limits.
 * `req.ip` honours the app's `trust proxy` setting, so apps behind a proxy
 * must configure it or every user shares the proxy's IP budget.
 *
 * `attemptId` names the attempt by the session: the session id changes at
 * every change of authentication state (pending sign-in, sign-in, step-up),
 * so it is the same for every retry of one pending sign-in or step-up and
 * never the same for two sessions. A retry of a code whose answer timed out
 * (503) is then refused without being charged (core's retry marker); the code
 * stays spent, so parallel submissions of one code still complete the
 * sign-in once (`test/express/parallel-same-attempt.test.ts`,
 * `timed-out-spend.test.ts`). It is a hash of the id: the store never holds a
 * session id.
 */
export function requestContext(req: Request): RequestContext {
  const sessionId: unknown = req.sessionID;
  return {
    ip: req.ip,
    userAgent: req.get('user-agent'),
    ...(typeof sessionId === 'string' && sessionId !== ''
      ? { attemptId: createHash('sha256').update(`mfa-kit attempt:${sessionId}`).digest('base64url') }
      : {}),
  };
}
