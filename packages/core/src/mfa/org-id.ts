import { MAX_ORG_ID_LENGTH } from '../defaults.js';
import { type ErrorCode, MfaError } from '../errors.js';

/** Whether `value` is an organisation id: a non-empty string of at most {@link MAX_ORG_ID_LENGTH} characters. */
export function isOrgId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ORG_ID_LENGTH;
}

/**
 * Reads an organisation id that came from outside mfa-kit (the app's user
 * object, an admin caller, a directory entry). `null` and `undefined` mean
 * "no organisation" and come back as `undefined`; an organisation id comes
 * back unchanged; anything else (the number 42, `''`, an object) throws
 * `MfaError(code)` naming `field`.
 *
 * Why throw rather than treat it as "no organisation": an admin without an
 * organisation may act for the whole instance, and a user without one
 * escapes `requiredOrgs` and org-by-org rollout. Coercing a malformed id to
 * "none" would widen scope; refusing it keeps the scope decision closed.
 */
export function parseOrgId(
  value: unknown,
  field: string,
  code: Extract<ErrorCode, 'VALIDATION' | 'CONFIGURATION'>,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isOrgId(value)) return value;
  throw new MfaError(code, {
    message: `${field} must be a non-empty string of at most ${MAX_ORG_ID_LENGTH} characters, null or absent (got ${describe(value)})`,
    fields: { [field]: 'invalid' },
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string that is too long';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
