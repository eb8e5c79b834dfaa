import type { Response } from 'express';
import type { EnrolResult, MfaErrorDetails, SmsSendResult, VerifyResult } from '@mfa-kit/core';
import type { ErrorCode } from '@mfa-kit/core';
import { sendError } from './send-error.js';

/** A failed outcome of core as the code and details of an HTTP error body. */
export interface OutcomeError {
  code: ErrorCode;
  details: MfaErrorDetails & { message?: string };
}

type FailedOutcome =
  | Exclude<VerifyResult, { ok: true }>
  | Exclude<EnrolResult, { ok: true }>
  | Exclude<SmsSendResult, { ok: true }>
  | { ok: false; code: 'POLICY_FORBIDS' };

/**
 * Message of an `INVALID_CODE` with `alreadyUsed`: this sign-in already spent
 * the code but its answer was lost (core's retry marker); nothing was charged.
 */
export const ALREADY_USED_MESSAGE =
  'This code was already used by this sign-in, but its answer was lost. No attempt was counted: enter the next code.';

/**
 * Turns an expected failure returned by core (wrong code, cooldown, lock,
 * provider failure…) into the uniform error body's code and details, so JSON
 * routes and apps render every outcome the same way.
 */
export function outcomeError(outcome: FailedOutcome): OutcomeError {
  switch (outcome.code) {
    case 'INVALID_CODE':
      return {
        code: 'INVALID_CODE',
        details: {
          message: outcome.alreadyUsed
            ? ALREADY_USED_MESSAGE
            : outcome.remaining > 0
              ? `The code is not valid. ${outcome.remaining} attempt(s) left before a cooldown.`
              : 'The code is not valid.',
        },
      };
    case 'COOLDOWN':
    case 'RATE_LIMITED':
      return { code: outcome.code, details: { retryAfterMs: outcome.retryAfterMs } };
    case 'ACCOUNT_LOCKED':
      return {
        code: 'ACCOUNT_LOCKED',
        details: outcome.retryAfterMs === null ? {} : { retryAfterMs: outcome.retryAfterMs },
      };
    case 'VALIDATION':
      return {
        code: 'VALIDATION',
        details: { message: outcome.message, fields: { phone: outcome.message } },
      };
    case 'SMS_FAILURE':
    case 'PROVIDER_FAILURE': {
      const details: OutcomeError['details'] = { message: outcome.message };
      if (outcome.providerCode !== null) details.providerCode = outcome.providerCode;
      if (outcome.hint !== null) details.hint = outcome.hint;
      return { code: outcome.code, details };
    }
    case 'NOT_ENROLLED':
    case 'POLICY_FORBIDS':
      return { code: outcome.code, details: {} };
  }
}

/** Sends a failed outcome of core as the uniform error body. */
export function sendOutcome(res: Response, outcome: FailedOutcome): void {
  const { code, details } = outcomeError(outcome);
  sendError(res, code, details);
}
