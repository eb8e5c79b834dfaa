/** How the HTTP layer answers a failure of the request body itself (body-parser's errors). */
export interface BodyErrorAnswer {
  status: number;
  message: string;
}

/**
 * body-parser's error `type`s (see its README, "Errors") and the answer to
 * each. Only a parse failure is "not valid JSON"; a body over the limit is
 * 413, an unsupported encoding or charset 415, an aborted or short body 400.
 */
const BODY_ERRORS: Readonly<Record<string, BodyErrorAnswer>> = {
  'entity.parse.failed': { status: 400, message: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, message: 'The request body is too large.' },
  'parameters.too.many': { status: 413, message: 'The request body has too many parameters.' },
  'encoding.unsupported': { status: 415, message: 'The request body encoding is not supported.' },
  'charset.unsupported': { status: 415, message: 'The request body charset is not supported.' },
  'request.aborted': { status: 400, message: 'The request body was not received completely.' },
  'request.size.invalid': { status: 400, message: 'The request body was not received completely.' },
};

/** The answer to a body-parser error, or null when `error` is not one. */
export function bodyErrorAnswer(error: unknown): BodyErrorAnswer | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  const type = (error as { type: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(BODY_ERRORS, type) ? (BODY_ERRORS[type] ?? null) : null;
}
