import type { RequestHandler } from 'express';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';

/** The routes whose ceremonies need core's WebAuthn verifier (registration, sign-in options and assertion). */
const CEREMONY_PATHS = ['/webauthn/register', '/sign-in/webauthn'];

/**
 * Without `webauthn` in `createMfa` (e.g. an app served from an IP address,
 * where browsers offer no passkeys), the passkey ceremonies answer
 * `404 NOT_FOUND` here, before any route: core would throw CONFIGURATION,
 * and a request must never turn into a 500. Null when WebAuthn is configured.
 */
export function webAuthnGate(kit: ResolvedMfaExpressOptions): RequestHandler | null {
  if (kit.mfa.options.webauthn !== undefined) return null;
  return (req, res, next) => {
    if (!CEREMONY_PATHS.some((path) => req.path === path || req.path.startsWith(`${path}/`))) return next();
    sendError(res, 'NOT_FOUND', { message: 'Passkeys and security keys are not enabled on this site.' });
  };
}
