// Public API of @mfa-kit/express. Values first, then types.
export { createErrorHandler } from './http/send-error.js';
export { checkOrigin } from './http/check-origin.js';
export { createMfaExpress } from './create-mfa-express.js';
export { DEFAULT_BODY_LIMIT, DEFAULT_FRESH_FACTOR_MS, DEFAULT_PENDING_TTL_MS } from './options.js';
export { MfaStrategy } from './strategies/mfa-strategy.js';
export { MfaTotpStrategy } from './strategies/totp-strategy.js';
export { MfaSmsStrategy } from './strategies/sms-strategy.js';
export { MfaRecoveryStrategy } from './strategies/recovery-strategy.js';
export { MfaWebAuthnStrategy } from './strategies/webauthn-strategy.js';
export { createMemorySessionIndex } from './session/memory-session-index.js';
export { createRedisSessionIndex, DEFAULT_SESSION_INDEX_TTL_MS } from './session/redis-session-index.js';
export { indexSessions } from './session/index-sessions.js';
export { createSessionRevoker } from './session/session-revoker.js';

export {
  ACTION_PRIVILEGES,
  ALL_PRIVILEGES,
  DEFAULT_PRIVILEGES,
  EVENT_CSV_COLUMNS,
  Privilege,
  UNLOCK_REQUEST_ACCEPTED,
  createAdminRouter,
  createUnlockRouter,
  describeEvent,
  readSessionCaller,
  resolvePrivileges,
} from './admin/index.js';

export type { ErrorBody } from './http/error-body.js';
export type { CheckOriginOptions } from './http/check-origin.js';
export type { MfaExpress } from './create-mfa-express.js';
export type { MfaExpressOptions, ResolvedMfaExpressOptions } from './options.js';
export type { PasswordGuardOptions } from './middleware/password-guard.js';
export type { RequireMfaOptions } from './middleware/require-mfa.js';
export type { StepUpOptions } from './middleware/step-up.js';
export type { SelfServiceRouterOptions } from './self-service/create-self-service-router.js';
export type {
  MfaStrategyFailure,
  MfaStrategyOptions,
  MfaStrategySuccess,
  MfaVerifyDone,
  MfaVerifyFunction,
  MfaVerifyFunctionWithRequest,
} from './strategies/mfa-strategy.js';
export type { PendingSignIn, PendingTotpEnrolment, SessionMfaState } from './session/session-data.js';
export type { SessionIndex } from './session/session-index.js';
export type {
  RedisSessionIndexOptions,
  SessionIndexRedisClient,
  SessionIndexTransaction,
} from './session/redis-session-index.js';
export type { SessionRevokerOptions } from './session/session-revoker.js';
export type {
  AdminCaller,
  AdminMfaSummary,
  AdminRouterOptions,
  AdminUserRow,
  AdminUserView,
  DescribeEventContext,
  GetAdminCaller,
  UnlockRouterOptions,
  UserDirectory,
  UserSearch,
  UserSearchPage,
} from './admin/index.js';
