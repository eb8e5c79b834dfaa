import type { Request } from 'express';
import type { AppContext } from './context.js';
import type { AppUser } from './users.js';

/** The logged-in app user, or null (pending sign-ins are not logged in). */
export function currentUser(req: Request, ctx: AppContext): AppUser | null {
  if (!req.isAuthenticated()) return null;
  const id = (req.user as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? ctx.users.findById(id) : null;
}

/** Promisified `req.session.destroy`. */
export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

/** Takes the one-shot notice out of the session. */
export function takeNotice(req: Request): string | null {
  const notice = req.session?.notice ?? null;
  if (notice !== null) delete req.session.notice;
  return notice;
}

/** Fixed notices for `?m=…` (never reflect arbitrary query text into a page). */
const NOTICES: Readonly<Record<string, string>> = {
  'signed-out': 'You signed out.',
  expired: 'Your session expired. Sign in again.',
  'mfa-disabled':
    'Multi-factor authentication is off. For your security you were signed out everywhere: sign in again.',
  unlocked: 'Your account is unlocked. Sign in again.',
  declined: 'No problem. You can turn on multi-factor authentication later in Security settings.',
  'not-my-number':
    'We will not send codes to that number any more. Sign in with another method below, then ask your administrator to update your phone number.',
  'mfa-required':
    'Multi-factor authentication is now required for your account. Sign in again with your second factor.',
};

/** The notice named by `?m=`, if it is one of ours. */
export function queryNotice(req: Request): string | null {
  const key = typeof req.query.m === 'string' ? req.query.m : '';
  return Object.hasOwn(NOTICES, key) ? (NOTICES[key] ?? null) : null;
}
