import { ErrorCode, type FactorType, type MfaErrorDetails } from '@mfa-kit/core';

/** The one shape of every HTTP error body mfa-kit sends. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Seconds until a retry may succeed (also sent as the Retry-After header). */
    retryAfter?: number;
    /** Field errors for VALIDATION. */
    fields?: Record<string, string>;
    /** Provider error code for SMS_FAILURE / PROVIDER_FAILURE. */
    providerCode?: string | number;
    /** What the user should do next. */
    hint?: string;
    /** MFA_REQUIRED from `stepUp()`: the session has MFA, but not recent enough; verify a factor again. */
    stepUp?: boolean;
    /**
     * With `stepUp`: the factors that can step up at `POST /verify` (`webauthn`: a passkey, options from
     * `POST /verify/webauthn/options`); only `['webauthn']` when the action needs a passkey.
     */
    stepUpFactors?: FactorType[];
    /**
     * MFA_REQUIRED from `requireMfa()`: the policy requires this factor (phishing-resistant MFA), the session used
     * another; with `stepUp`: the action needs fresh proof of this factor.
     */
    requiredFactor?: 'webauthn';
  };
}

/** Builds the uniform error body; never includes stacks or causes. */
export function createErrorBody(
  code: ErrorCode,
  details: MfaErrorDetails & { message?: string } = {},
): ErrorBody {
  const body: ErrorBody = { error: { code, message: details.message ?? ErrorCode[code] } };
  if (details.retryAfterMs !== undefined)
    body.error.retryAfter = Math.max(1, Math.ceil(details.retryAfterMs / 1000));
  if (details.fields !== undefined) body.error.fields = details.fields;
  if (details.providerCode !== undefined) body.error.providerCode = details.providerCode;
  if (details.hint !== undefined) body.error.hint = details.hint;
  return body;
}
