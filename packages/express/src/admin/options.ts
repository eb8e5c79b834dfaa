import type { Mfa } from '@mfa-kit/core';
import type { GetAdminCaller } from './caller.js';
import type { Privilege } from './privileges.js';
import type { UserDirectory } from './user-directory.js';

/** Options of {@link createAdminRouter}. */
export interface AdminRouterOptions {
  /** The mfa-kit instance (`createMfa(...)`). */
  mfa: Mfa;
  /** The app's users. */
  users: UserDirectory;
  /**
   * Who is calling. Return null when nobody is signed in.
   * @default readSessionCaller (Passport's `req.user` + mfa-kit's `req.session.mfa`)
   */
  getActor?: GetAdminCaller;
  /**
   * Role → privileges. Replaces the default map (it is not merged).
   * @default { admin: ['mfa:read', 'mfa:reset', 'mfa:lock', 'mfa:logs', 'mfa:policy'] } (seed 000)
   */
  privileges?: Readonly<Record<string, readonly Privilege[]>>;
  /**
   * Origins (scheme://host[:port]) allowed to send state-changing requests
   * (CSRF defence, same as the self-service router: the `Origin` header, or
   * the `Referer`'s origin, must be one of these).
   */
  allowedOrigins: readonly string[];
  /** Refuse a state-changing request that has neither Origin nor Referer. @default true */
  requireOrigin?: boolean;
  /** Users per page of `GET /users`. @default 25 */
  pageSize?: number;
  /** Events shown by `GET /users/:id`. @default 20 */
  recentEvents?: number;
  /** Most rows one `GET /events.csv` exports. @default 10_000 */
  csvMaxRows?: number;
  /** Your server log: unexpected errors and server-side (5xx) `MfaError`s, whole (the client gets only the code and its stable message). @default ignore */
  onUnexpected?: (error: unknown) => void;
}

/** {@link AdminRouterOptions} with defaults filled in. */
export type ResolvedAdminRouterOptions = Required<AdminRouterOptions>;

/** Default page size of `GET /users`. */
export const DEFAULT_PAGE_SIZE = 25;
/** Default number of recent events in `GET /users/:id`. */
export const DEFAULT_RECENT_EVENTS = 20;
/** Default row cap of the CSV export (keeps one request bounded). */
export const DEFAULT_CSV_MAX_ROWS = 10_000;
