import { MfaError, isMfaError } from '@mfa-kit/core';

/**
 * What a failed session-store call becomes: the session store is
 * infrastructure like mfa-kit's own stores, so its driver and connection
 * errors (Redis down, a command timeout) become `STORE_UNAVAILABLE`, which
 * the error handler answers with 503 instead of a 500 INTERNAL. Programming
 * errors stay what they are, so a bug still surfaces as a bug.
 */
export function storeFailure(error: unknown): unknown {
  if (isMfaError(error)) return error;
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError)
    return error;
  return new MfaError('STORE_UNAVAILABLE', {
    message: 'The session store is temporarily unavailable. Try again shortly.',
    cause: error,
  });
}
