import { type ErrorCode, type MfaErrorDetails, isMfaError } from '@mfa-kit/core';
import type { ErrorRequestHandler, Response } from 'express';
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

/**
 * Express error handler for mfa-kit routers: MfaErrors keep their code; body
 * parser errors become VALIDATION (400) or 413; anything else is a 500 with a
 * generic body (the error goes to `onUnexpected`, never to the client).
 */
export function createErrorHandler(onUnexpected: (error: unknown) => void = () => {}): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (isMfaError(error)) {
      const { message, details, code } = error;
      return sendError(res, code, { ...details, message });
    }
    const status =
      typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status === 413) {
      res.status(413).json(createErrorBody('VALIDATION', { message: 'The request body is too large.' }));
      return;
    }
    if (status >= 400 && status < 500)
      return sendError(res, 'VALIDATION', { message: 'The request body is not valid JSON.' });
    onUnexpected(error);
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong.' } });
  };
}
