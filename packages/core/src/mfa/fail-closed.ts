import { MfaError } from '../errors.js';

/**
 * Errors that mean "this code is wrong", not "the store is down": a store
 * adapter that throws one of these has a bug. Reporting it as an outage
 * (`STORE_UNAVAILABLE`, 503) would hide the bug behind a retry prompt and page
 * the wrong team, so it surfaces unchanged (the express layer answers 500
 * INTERNAL and hands it to the app's `onUnexpected` logger). Nothing is
 * accepted either way: the call still rejects.
 */
const PROGRAMMING_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

/** True for errors that are bugs in code (an adapter, a callback), not infrastructure failures. */
export function isProgrammingError(error: unknown): boolean {
  return PROGRAMMING_ERRORS.some((kind) => error instanceof kind);
}

/**
 * Wraps a service function so that an infrastructure failure that is not
 * already an `MfaError` (a store driver error, a network error, a SQL
 * adapter's connection error) becomes `STORE_UNAVAILABLE`: mfa-kit fails
 * closed and never turns an infrastructure error into an accepted code.
 * Programming errors ({@link isProgrammingError}) pass through unchanged.
 */
export function failClosed<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (error) {
      if (error instanceof MfaError || isProgrammingError(error)) throw error;
      throw new MfaError('STORE_UNAVAILABLE', { cause: error });
    }
  };
}
