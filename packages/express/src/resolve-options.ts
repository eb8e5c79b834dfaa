import { MfaError, type MfaUser, parseOrgId } from '@mfa-kit/core';
import { parseAllowedOrigins } from './http/allowed-origins.js';
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_FRESH_FACTOR_MS,
  DEFAULT_PENDING_TTL_MS,
  type MfaExpressOptions,
  type ResolvedMfaExpressOptions,
} from './options.js';

const systemClock = { now: () => Date.now() };

function configurationError(message: string): MfaError {
  return new MfaError('CONFIGURATION', { message: `@mfa-kit/express: ${message}` });
}

/** `http://localhost[:port]`, `http://127.0.0.1[:port]` or `http://[::1][:port]`: where a non-Secure cookie is tolerated. */
function isLoopbackHttpOrigin(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Default `userFromRequest`: takes the MfaUser fields straight from `req.user`. */
export function defaultUserFromRequest(user: Express.User): MfaUser | null {
  const candidate = user as Partial<Record<keyof MfaUser, unknown>>;
  if (typeof candidate.id !== 'string' || candidate.id === '') return null;
  return {
    id: candidate.id,
    orgId: parseOrgId(candidate.orgId, 'req.user.orgId', 'CONFIGURATION'),
    roles: Array.isArray(candidate.roles)
      ? candidate.roles.filter((role): role is string => typeof role === 'string')
      : undefined,
    label: typeof candidate.label === 'string' ? candidate.label : undefined,
  };
}

/**
 * The app's user as core will see it, with its organisation checked at this
 * boundary: a malformed `orgId` (the number 42, `''`) is the app's
 * misconfiguration (CONFIGURATION, 500, logged), not "no organisation",
 * which would exempt the user from `requiredOrgs` and an org-by-org rollout.
 */
export function checkAppUser(user: MfaUser | null | undefined, field: string): MfaUser | null {
  if (user === null || user === undefined) return null;
  parseOrgId((user as { orgId?: unknown }).orgId, field, 'CONFIGURATION');
  return user;
}

/**
 * Fills defaults and checks the options once, at creation, so a misconfigured
 * app fails at start-up rather than at its first sign-in.
 */
export function resolveOptions(options: MfaExpressOptions): ResolvedMfaExpressOptions {
  if (typeof options !== 'object' || options === null) throw configurationError('options are required');
  if (typeof options.mfa?.startSignIn !== 'function')
    throw configurationError('`mfa` must come from createMfa()');
  if (typeof options.passport?.use !== 'function' || typeof options.passport.authenticate !== 'function')
    throw configurationError('`passport` must be the Passport instance of the app');
  if (typeof options.loadUser !== 'function') throw configurationError('`loadUser(id)` is required');
  const allowedOrigins = parseAllowedOrigins(options.allowedOrigins, '@mfa-kit/express');
  const pendingTtlMs = options.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS;
  if (!Number.isSafeInteger(pendingTtlMs) || pendingTtlMs <= 0)
    throw configurationError('`pendingTtlMs` must be a positive integer');
  const freshFactorMs = options.freshFactorMs ?? DEFAULT_FRESH_FACTOR_MS;
  if (!Number.isSafeInteger(freshFactorMs) || freshFactorMs < 0)
    throw configurationError('`freshFactorMs` must be a non-negative integer');
  const keepSessionData = options.keepSessionData ?? [];
  if (!Array.isArray(keepSessionData) || keepSessionData.some((key) => typeof key !== 'string' || key === ''))
    throw configurationError('`keepSessionData` must list session keys (non-empty strings)');
  if (keepSessionData.some((key) => key.startsWith('mfa') || key === 'passport' || key === 'cookie'))
    throw configurationError("`keepSessionData` may not keep mfa-kit's, Passport's or the cookie's keys");
  const trusted = options.trustedDevices ?? {};
  if (typeof trusted !== 'object' || trusted === null)
    throw configurationError('`trustedDevices` must be an object');
  const secureCookie = trusted.secureCookie ?? true;
  if (typeof secureCookie !== 'boolean')
    throw configurationError('`trustedDevices.secureCookie` must be a boolean');
  if (!secureCookie && !allowedOrigins.every(isLoopbackHttpOrigin))
    throw configurationError(
      '`trustedDevices.secureCookie: false` is only for development on http://localhost (every allowed origin must be a loopback http origin)',
    );
  const sameSite = trusted.sameSite ?? 'lax';
  if (sameSite !== 'lax' && sameSite !== 'strict')
    throw configurationError("`trustedDevices.sameSite` must be 'lax' or 'strict'");
  const cookieName = trusted.cookieName ?? (secureCookie ? '__Host-mfa-trusted' : 'mfa-trusted');
  if (typeof cookieName !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(cookieName))
    throw configurationError('`trustedDevices.cookieName` must be 1–64 letters, digits, `_` or `-`');
  if (cookieName.startsWith('__Host-') && !secureCookie)
    throw configurationError('a `__Host-` cookie needs `trustedDevices.secureCookie: true`');
  const loadUser = options.loadUser;
  const userFromRequest = options.userFromRequest ?? defaultUserFromRequest;
  return Object.freeze({
    mfa: options.mfa,
    passport: options.passport,
    loadUser: async (id: string) => checkAppUser(await loadUser(id), 'loadUser(id).orgId'),
    allowedOrigins,
    userFromRequest: (user: Express.User) =>
      checkAppUser(userFromRequest(user), 'userFromRequest(req.user).orgId'),
    pendingTtlMs,
    freshFactorMs,
    requireOrigin: options.requireOrigin ?? true,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    redirects: Object.freeze({ ...(options.redirects ?? {}) }),
    keepSessionData: Object.freeze([...keepSessionData]),
    clock: options.clock ?? options.mfa.options?.clock ?? systemClock,
    trustedDevices: Object.freeze({ secureCookie, sameSite, cookieName }),
  });
}
