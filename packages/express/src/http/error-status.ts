import type { ErrorCode } from '@mfa-kit/core';

/** HTTP status for each mfa-kit error code. The only place statuses are decided. */
export const errorStatus: Record<ErrorCode, number> = {
  INVALID_CODE: 401,
  COOLDOWN: 429,
  ACCOUNT_LOCKED: 423,
  SESSION_EXPIRED: 401,
  MFA_REQUIRED: 403,
  ENROLMENT_REQUIRED: 403,
  NOT_ENROLLED: 409,
  ALREADY_ENROLLED: 409,
  PROVIDER_FAILURE: 502,
  SMS_FAILURE: 422,
  RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  VALIDATION: 400,
  POLICY_FORBIDS: 403,
  INVALID_TOKEN: 400,
  CONFIGURATION: 500,
  KEY_UNAVAILABLE: 500,
};
