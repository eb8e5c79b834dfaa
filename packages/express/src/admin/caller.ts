import { parseOrgId } from '@mfa-kit/core';
import type { Request } from 'express';

/**
 * Who is calling an admin route, as the app sees it. The admin router never
 * reads the app's user model itself; `getActor` maps the request to this.
 */
export interface AdminCaller {
  id: string;
  /** The caller's organisation; null/undefined when the app has no organisations. */
  orgId?: string | null | undefined;
  roles: readonly string[];
  /** True when this session completed a second factor at sign-in. */
  mfaCompleted: boolean;
  /** True while the session only holds a pending MFA challenge (password step done, second factor not). */
  pending: boolean;
}

/** Maps a request to its caller; null when nobody is signed in. */
export type GetAdminCaller = (req: Request) => AdminCaller | null | Promise<AdminCaller | null>;

/** The session fields written by mfa-kit's sign-in (`src/session/session-data.ts`) that the default reads. */
interface SessionLike {
  mfaPending?: { userId?: unknown } | undefined;
  mfa?: { userId?: unknown; completedAt?: unknown } | undefined;
}

/** Shape of a Passport user the default understands (the same fields `createMfaExpress` reads). */
interface SessionUserLike {
  id?: unknown;
  orgId?: unknown;
  roles?: unknown;
}

/**
 * The default `getActor`, matching the session layout of mfa-kit's sign-in:
 * - Passport's `req.user` gives `{ id, orgId, roles }`;
 * - `req.session.mfa.completedAt` (a number) means this session completed a
 *   second factor; null means it was let in without one (optional, not
 *   rolled out, grace);
 * - `req.session.mfaPending` on a session that is not authenticated is a
 *   pending sign-in.
 * Apps whose user objects look different pass their own `getActor`.
 */
export function readSessionCaller(req: Request): AdminCaller | null {
  const session = (req as Request & { session?: SessionLike }).session;
  const authenticated = typeof req.isAuthenticated === 'function' && req.isAuthenticated();
  const user = req.user as SessionUserLike | undefined;
  if (!authenticated || user === undefined || user === null) {
    const pendingId = session?.mfaPending?.userId;
    if (typeof pendingId === 'string' && pendingId !== '') {
      return { id: pendingId, orgId: null, roles: [], mfaCompleted: false, pending: true };
    }
    return null;
  }
  const id = typeof user.id === 'string' || typeof user.id === 'number' ? String(user.id) : '';
  if (id === '') return null;
  const mfa = session?.mfa;
  return {
    id,
    // A malformed orgId (e.g. the number 42) throws CONFIGURATION: read as "none" it would widen the scope.
    orgId: parseOrgId(user.orgId, 'req.user.orgId', 'CONFIGURATION') ?? null,
    roles: Array.isArray(user.roles) ? user.roles.filter((r): r is string => typeof r === 'string') : [],
    // A state recorded for another user (should not happen) never counts.
    mfaCompleted: mfa !== undefined && typeof mfa.completedAt === 'number' && String(mfa.userId) === id,
    pending: false,
  };
}
