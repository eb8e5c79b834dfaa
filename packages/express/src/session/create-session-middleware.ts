import { MfaError } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import session, { type SessionOptions } from 'express-session';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guardSessionStore } from './guard-session-store.js';
import { generateSessionId } from './session-id.js';

/**
 * `mfaKit.session(options)`: express-session with mfa-kit's session model.
 * Takes express-session's own options; wraps `store` (default: the
 * development MemoryStore) with the epoch check and generates the ids itself
 * (they name their user, so the check needs no extra round trip). The
 * policy is read beside the epoch, for `requireMfa()`'s factor check.
 */
export function createSessionMiddleware(
  kit: ResolvedMfaExpressOptions,
  options: SessionOptions,
): RequestHandler {
  if (typeof options !== 'object' || options === null)
    throw new MfaError('CONFIGURATION', {
      message: '@mfa-kit/express: session() needs express-session options',
    });
  if (options.genid !== undefined)
    throw new MfaError('CONFIGURATION', {
      message:
        '@mfa-kit/express: session() generates the session ids itself (they name their user); remove `genid`',
    });
  const store = guardSessionStore(
    options.store ?? new session.MemoryStore(),
    (userId) => kit.mfa.sessions.epoch(userId),
    () => kit.mfa.admin.getPolicy(),
  );
  return session({ ...options, store, genid: generateSessionId });
}
