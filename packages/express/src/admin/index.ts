// The admin router, the unlock router and their ports. Values first, then types.
export { ADMIN_ROUTES, createAdminRouter } from './create-admin-router.js';
export { UNLOCK_REQUEST_ACCEPTED, createUnlockRouter } from './create-unlock-router.js';
export {
  ACTION_PRIVILEGES,
  ALL_PRIVILEGES,
  DEFAULT_PRIVILEGES,
  Privilege,
  resolvePrivileges,
} from './privileges.js';
export { readSessionCaller } from './caller.js';
export { EVENT_CSV_COLUMNS, csvCell } from './csv.js';
export { describeEvent } from './describe-event.js';

export type { AdminRoute } from './create-admin-router.js';
export type { UnlockRouterOptions } from './create-unlock-router.js';
export type { AdminCaller, GetAdminCaller } from './caller.js';
export type { AdminRouterOptions } from './options.js';
export type { DescribeEventContext } from './describe-event.js';
export type { AdminMfaSummary, AdminUserRow } from './user-summary.js';
export type { AdminUserView, UserDirectory, UserSearch, UserSearchPage } from './user-directory.js';
