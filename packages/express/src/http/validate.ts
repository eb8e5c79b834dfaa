import { MfaError } from '@mfa-kit/core';
import type { z } from 'zod';

/**
 * Parses untrusted input at the HTTP boundary. Returns the parsed value, or
 * throws `MfaError('VALIDATION')` with `fields` (dotted path → message) that
 * `createErrorHandler` turns into a 400 uniform body.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issue.message;
  }
  throw new MfaError('VALIDATION', { fields, cause: result.error });
}
