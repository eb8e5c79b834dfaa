import { MfaError } from '@mfa-kit/core';

/** Exit status: success. */
export const EXIT_OK = 0;
/** Exit status: the operation failed (Redis unreachable, store error, aborted). */
export const EXIT_FAILED = 1;
/** Exit status: the command line was wrong (unknown command or option, bad value, missing `--yes`). */
export const EXIT_USAGE = 2;

/** A command-line mistake: a VALIDATION error, which `runCli` maps to exit status 2. */
export function usageError(message: string, cause?: unknown): MfaError {
  return new MfaError('VALIDATION', { message, cause });
}
