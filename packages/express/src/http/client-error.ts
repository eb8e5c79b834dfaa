import { ErrorCode, type MfaError, type MfaErrorDetails } from '@mfa-kit/core';
import { errorStatus } from './error-status.js';

/**
 * What a client may learn from a thrown `MfaError`. The rule, by code:
 *
 * - The message is always the code's own stable text (`ErrorCode[code]`),
 *   never `error.message`: thrown messages are written for developers and
 *   operators (KEY_UNAVAILABLE names key ids and gives configuration advice,
 *   CONFIGURATION names options, STORE_UNAVAILABLE describes the store).
 *   Apps that want their own wording switch on the code.
 * - `fields` (per-field messages about the request the client sent) for
 *   VALIDATION and FORBIDDEN — zod's input errors, a policy edit outside the
 *   admin's organisation.
 * - `hint` and `providerCode` for SMS_FAILURE and PROVIDER_FAILURE: the SMS
 *   sender writes them for the end user ("reply START to resubscribe").
 * - `retryAfter` for every code that sets it.
 * - Server-side codes (status 500 and above: CONFIGURATION, KEY_UNAVAILABLE,
 *   STORE_UNAVAILABLE, PROVIDER_FAILURE) are also reported to the server log
 *   (`onUnexpected`) with the full error, so the detail is not lost.
 *
 * Messages the HTTP layer writes for the client itself (`sendError` with a
 * message, e.g. the CSRF refusal) and outcome texts (`sendOutcome`: attempts
 * left, the SMS provider's user-facing text) are not thrown errors and are
 * sent as written.
 */
export function clientDetails(error: MfaError): MfaErrorDetails & { message: string } {
  const { code, details } = error;
  const out: MfaErrorDetails & { message: string } = { message: ErrorCode[code] };
  if (details.retryAfterMs !== undefined) out.retryAfterMs = details.retryAfterMs;
  if ((code === 'VALIDATION' || code === 'FORBIDDEN') && details.fields !== undefined)
    out.fields = details.fields;
  if (code === 'SMS_FAILURE' || code === 'PROVIDER_FAILURE') {
    if (details.hint !== undefined) out.hint = details.hint;
    if (details.providerCode !== undefined) out.providerCode = details.providerCode;
  }
  return out;
}

/** Whether an error with this code is the server's problem, to be logged. */
export function isServerSide(code: ErrorCode): boolean {
  return errorStatus[code] >= 500;
}
