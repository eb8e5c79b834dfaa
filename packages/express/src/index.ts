// Public API of @mfa-kit/express. Values first, then types.
export { errorStatus } from './http/error-status.js';
export { createErrorBody } from './http/error-body.js';
export { createErrorHandler, sendError } from './http/send-error.js';

export type { ErrorBody } from './http/error-body.js';
