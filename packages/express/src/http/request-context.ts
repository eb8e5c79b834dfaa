import type { RequestContext } from '@mfa-kit/core';
import type { Request } from 'express';

/**
 * The request facts core records in events and uses for per-IP limits.
 * `req.ip` honours the app's `trust proxy` setting, so apps behind a proxy
 * must configure it or every user shares the proxy's IP budget.
 */
export function requestContext(req: Request): RequestContext {
  return { ip: req.ip, userAgent: req.get('user-agent') };
}
