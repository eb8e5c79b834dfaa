import { ErrorCode, type MfaErrorDetails, isMfaError } from '@mfa-kit/core';
import type { ErrorRequestHandler, Response } from 'express';
import { bodyErrorAnswer } from './body-error.js';
import { clientDetails, isServerSide } from './client-error.js';
import { createErrorBody } from './error-body.js';
import { errorStatus } from './error-status.js';

/** Sends the uniform error body with the code's status (and Retry-After when known). */
export function sendError(
  res: Response,
  code: ErrorCode,
  details: MfaErrorDetails & { message?: string } = {},
): void {
  const body = createErrorBody(code, details);
  if (body.error.retryAfter !== undefined) res.setHeader('Retry-After', String(body.error.retryAfter));
  res.status(errorStatus[code]).json(body);
}

/** The code for a client error another middleware raised with an HTTP status (http-errors style). */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  return 'VALIDATION';
}

function clientStatusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500
    ? status
    : null;
}

/**
 * Express error handler for mfa-kit routers (and, as `mfaKit.errorHandler()`,
 * for the app):
 * - an `MfaError` keeps its code and status; the client gets the code's
 *   stable message and only the details meant for it (`clientDetails`);
 *   server-side codes (5xx) also go to `onUnexpected` with the full error;
 * - a body-parser failure gets its own answer (`bodyErrorAnswer`: invalid
 *   JSON 400, too large 413, unsupported encoding 415…);
 * - another client error with a 4xx `status` keeps that status, with the
 *   matching code's stable message;
 * - anything else is `500 INTERNAL` with a generic body, and goes to
 *   `onUnexpected`. Nothing of an error's message, stack or cause reaches the
 *   client.
 */
export function createErrorHandler(onUnexpected: (error: unknown) => void = () => {}): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (isMfaError(error)) {
      if (isServerSide(error.code)) onUnexpected(error);
      return sendError(res, error.code, clientDetails(error));
    }
    const body = bodyErrorAnswer(error);
    if (body !== null) {
      res.status(body.status).json(createErrorBody('VALIDATION', { message: body.message }));
      return;
    }
    const status = clientStatusOf(error);
    if (status !== null) {
      const code = codeForStatus(status);
      res.status(status).json(createErrorBody(code, { message: ErrorCode[code] }));
      return;
    }
    onUnexpected(error);
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong.' } });
  };
}
