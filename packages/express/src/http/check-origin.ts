import type { RequestHandler } from 'express';
import { parseAllowedOrigins } from './allowed-origins.js';
import { sendError } from './send-error.js';

/** Options of {@link checkOrigin}. */
export interface CheckOriginOptions {
  /**
   * Origins (`scheme://host[:port]`, http or https) allowed to send
   * state-changing requests. Checked at creation: anything that is not an
   * origin (a path, userinfo, another scheme) throws `MfaError('CONFIGURATION')`.
   */
  allowedOrigins: readonly string[];
  /** Refuse when neither Origin nor Referer is present. @default true */
  requireOrigin?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The origin a `Referer` was sent from, or null. A browser sends the Referer
 * as a canonical absolute URL without userinfo (Fetch, "strip url for use as
 * a referrer"), so the raw header must begin with its own parsed origin
 * followed by `/`: `http://evil.example@app.example/`, `HTTP://app.example/`
 * and other spellings only a hand-made request uses are refused.
 */
function refererOrigin(referer: string): string | null {
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  return referer.startsWith(`${url.origin}/`) ? url.origin : null;
}

/**
 * CSRF defence for cookie-authenticated JSON routes (OWASP CSRF Cheat Sheet,
 * "Verifying Origin With Standard Headers"): a state-changing request must
 * carry an `Origin` (or, failing that, a `Referer`) from an allowed origin.
 *
 * The comparison is exact, on serialised origins. Browsers always send
 * `Origin` in its canonical serialisation (RFC 6454 §6.2 / the Fetch
 * standard: lower-case scheme and host, no default port, no path, no
 * userinfo), and the allowed origins are canonicalised at creation, so the
 * raw header must equal one of them byte for byte. A non-canonical header —
 * `HTTP://app.example`, `http://evil.example@app.example`, a trailing slash
 * or a path, `null` — is refused rather than canonicalised: no browser sends
 * one, and parsing it leniently is how such values slipped through before
 * (`new URL()` drops userinfo and lower-cases the scheme). The Referer
 * fallback follows the same rule (see `refererOrigin`). A present but
 * refused `Origin` never falls back to the Referer.
 *
 * Together with `SameSite=Lax` session cookies this refuses cross-site forms
 * and fetches with 403 FORBIDDEN. Safe methods (GET/HEAD/OPTIONS) pass: they
 * must not change state.
 */
export function checkOrigin(options: CheckOriginOptions): RequestHandler {
  const allowed = new Set(parseAllowedOrigins(options?.allowedOrigins, 'checkOrigin'));
  const requireOrigin = options.requireOrigin ?? true;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const referer = req.get('referer');
    if (origin === undefined && referer === undefined && !requireOrigin) return next();
    const source = origin !== undefined ? origin : referer !== undefined ? refererOrigin(referer) : null;
    if (source !== null && allowed.has(source)) return next();
    sendError(res, 'FORBIDDEN', {
      message: 'Cross-site request refused: the request origin is not allowed.',
    });
  };
}
