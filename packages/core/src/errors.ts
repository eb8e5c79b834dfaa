import type { SmsFailureReason } from './ports/sms.js';

/**
 * Every error code mfa-kit uses, declared once (UPPER_SNAKE_CASE → default
 * message). Codes are stable: apps may switch on them and render their own
 * text. HTTP statuses for them live only in `@mfa-kit/express`.
 */
export const ErrorCode = {
  INVALID_CODE: 'The code is not valid. Check the code and try again.',
  COOLDOWN: 'Too many failed attempts. Wait before trying again.',
  ACCOUNT_LOCKED: 'Your account is locked. Contact your administrator.',
  SESSION_EXPIRED: 'Your session expired. Sign in again.',
  MFA_REQUIRED: 'Multi-factor authentication is required.',
  ENROLMENT_REQUIRED: 'You must set up multi-factor authentication before you continue.',
  NOT_ENROLLED: 'This factor is not set up for this account.',
  ALREADY_ENROLLED: 'This factor is already set up for this account.',
  PROVIDER_FAILURE: 'The SMS provider failed. Try again later or use another method.',
  SMS_FAILURE: 'The SMS could not be sent to this number.',
  RATE_LIMITED: 'Too many requests. Wait before trying again.',
  STORE_UNAVAILABLE: 'The MFA service is temporarily unavailable. Try again shortly.',
  STORE_RESET:
    'The MFA store lost its data. Sign-in is paused until an operator checks it (mfa-kit store acknowledge-reset).',
  FORBIDDEN: 'You do not have permission to do this.',
  UNAUTHENTICATED: 'Sign in first.',
  NOT_FOUND: 'Not found.',
  VALIDATION: 'The request is not valid.',
  POLICY_FORBIDS: 'Your organisation requires multi-factor authentication; it cannot be turned off.',
  INVALID_TOKEN: 'This link is invalid, expired or already used.',
  CONFLICT: 'Someone else changed this at the same time. Reload and try again.',
  CONFIGURATION: 'mfa-kit is not configured correctly.',
  KEY_UNAVAILABLE: 'The encryption key for this secret is missing or wrong.',
} as const;

/** A stable machine-readable error code. */
export type ErrorCode = keyof typeof ErrorCode;

/** Extra, code-specific data carried by an {@link MfaError}. */
export interface MfaErrorDetails {
  /** Milliseconds until the caller may try again (COOLDOWN, RATE_LIMITED, ACCOUNT_LOCKED with a temporary lock). */
  retryAfterMs?: number;
  /** Field errors for VALIDATION: path → message. */
  fields?: Record<string, string>;
  /** Provider's own error code (e.g. Twilio 21211) for PROVIDER_FAILURE / SMS_FAILURE. */
  providerCode?: string | number;
  /** What the user should do next, in plain words (e.g. "reply START to resubscribe"). */
  hint?: string;
  /** For SMS_FAILURE / PROVIDER_FAILURE: why the message was not sent. */
  reason?: SmsFailureReason;
}

/** Options for {@link MfaError}. */
export interface MfaErrorOptions extends MfaErrorDetails {
  /** Overrides the default message of the code. */
  message?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of mfa-kit. Thrown for misuse (VALIDATION,
 * CONFIGURATION) and infrastructure failure (STORE_UNAVAILABLE,
 * PROVIDER_FAILURE, KEY_UNAVAILABLE). Expected outcomes of a verification
 * (wrong code, cooldown, lock) are return values, not throws; they carry the
 * same codes so one renderer handles both.
 */
export class MfaError extends Error {
  override readonly name = 'MfaError';
  readonly code: ErrorCode;
  readonly details: MfaErrorDetails;

  constructor(code: ErrorCode, options: MfaErrorOptions = {}) {
    const { message, cause, ...details } = options;
    super(message ?? ErrorCode[code], cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}

/** True when `value` is an {@link MfaError}, optionally with the given code. */
export function isMfaError(value: unknown, code?: ErrorCode): value is MfaError {
  return value instanceof MfaError && (code === undefined || value.code === code);
}
