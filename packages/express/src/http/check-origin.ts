import type { RequestHandler } from 'express';
import { sendError } from './send-error.js';

/** Options of {@link checkOrigin}. */
export interface CheckOriginOptions {
  /** Origins (scheme://host[:port]) allowed to send state-changing requests. */
  allowedOrigins: readonly string[];
  /** Refuse when neither Origin nor Referer is present. @default true */
  requireOrigin?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * CSRF defence for cookie-authenticated JSON routes (OWASP CSRF Cheat Sheet,
 * "Verifying Origin With Standard Headers"): a state-changing request must
 * carry an `Origin` (or, failing that, a `Referer`) whose origin is allowed.
 * Browsers set `Origin` on every cross-site POST and scripts cannot forge it;
 * together with `SameSite=Lax` session cookies this refuses cross-site forms
 * and fetches with 403 FORBIDDEN. Safe methods (GET/HEAD/OPTIONS) pass: they
 * must not change state.
 */
export function checkOrigin(options: CheckOriginOptions): RequestHandler {
  const allowed = new Set(options.allowedOrigins.map((origin) => originOf(origin) ?? origin));
  const requireOrigin = options.requireOrigin ?? true;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const referer = req.get('referer');
    // `Origin: null` (sandboxed frames, some redirects) is never trusted.
    const source =
      origin !== undefined ? originOf(origin) : referer !== undefined ? originOf(referer) : undefined;
    if (source === undefined && !requireOrigin) return next();
    if (source !== undefined && source !== null && allowed.has(source)) return next();
    sendError(res, 'FORBIDDEN', {
      message: 'Cross-site request refused: the request origin is not allowed.',
    });
  };
}
