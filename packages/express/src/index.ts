// Public API of @mfa-kit/express. Values first, then types.
export { errorStatus } from './http/error-status.js';
export { createErrorBody } from './http/error-body.js';
export { createErrorHandler, sendError } from './http/send-error.js';

export {
  ACTION_PRIVILEGES,
  ADMIN_ROUTES,
  ALL_PRIVILEGES,
  DEFAULT_PRIVILEGES,
  EVENT_CSV_COLUMNS,
  Privilege,
  UNLOCK_REQUEST_ACCEPTED,
  createAdminRouter,
  createUnlockRouter,
  csvCell,
  readSessionCaller,
  resolvePrivileges,
} from './admin/index.js';

export type { ErrorBody } from './http/error-body.js';
export type {
  AdminCaller,
  AdminMfaSummary,
  AdminRoute,
  AdminRouterOptions,
  AdminUserRow,
  AdminUserView,
  GetAdminCaller,
  UnlockRouterOptions,
  UserDirectory,
  UserSearch,
} from './admin/index.js';
