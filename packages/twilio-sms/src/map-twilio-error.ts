import { MfaError, type SmsFailureReason } from '@mfa-kit/core';
import { TWILIO_ERROR_CODES, type TwilioErrorClass } from './twilio-error-codes.js';

/** What the mapper knows about the send, to phrase hints (never secrets). */
export interface TwilioErrorContext {
  /** The sender number, for "reply START to …"; absent with a Messaging Service. */
  from?: string;
}

/** Node/axios error codes that mean "no usable answer in time". */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/**
 * Maps anything the Twilio SDK throws to an `MfaError`:
 * - a REST error (`RestException`: numeric `status`, Twilio `code`) by
 *   {@link TWILIO_ERROR_CODES}; unknown codes and bare 5xx → PROVIDER_FAILURE;
 * - network errors (`ECONNREFUSED`, `ECONNRESET`, …) and timeouts →
 *   PROVIDER_FAILURE 'provider-down' with the Node code (`ETIMEDOUT` for timeouts).
 * `details.providerCode` keeps Twilio's code (or the HTTP status when the
 * body had none), `cause` the original error. Messages carry no stack, URL
 * or credentials, so they are safe to show.
 */
export function mapTwilioError(error: unknown, context: TwilioErrorContext = {}): MfaError {
  if (error instanceof MfaError) return error;
  const rest = asRestError(error);
  if (rest) {
    const known = rest.code === undefined ? undefined : TWILIO_ERROR_CODES[rest.code];
    const providerCode = rest.code ?? rest.status;
    const kind: TwilioErrorClass = known ?? { code: 'PROVIDER_FAILURE', reason: 'provider-down' };
    return build(kind, providerCode, error, context);
  }
  const nodeCode = errorCode(error);
  const providerCode = nodeCode === undefined ? null : TIMEOUT_CODES.has(nodeCode) ? 'ETIMEDOUT' : nodeCode;
  return build({ code: 'PROVIDER_FAILURE', reason: 'provider-down' }, providerCode, error, context);
}

function build(
  kind: TwilioErrorClass,
  providerCode: string | number | null,
  cause: unknown,
  context: TwilioErrorContext,
): MfaError {
  const text = TEXTS[kind.reason](providerCode, context);
  return new MfaError(kind.code, {
    message: text.message,
    hint: text.hint,
    reason: kind.reason,
    ...(providerCode === null ? {} : { providerCode }),
    cause,
  });
}

/** User-facing text per reason: what happened, and what to do next. */
const TEXTS: Record<
  SmsFailureReason,
  (providerCode: string | number | null, context: TwilioErrorContext) => { message: string; hint: string }
> = {
  'invalid-number': (providerCode) => ({
    message:
      providerCode === 21614
        ? 'This phone number cannot receive text messages (it is not a mobile number).'
        : 'This phone number is not valid.',
    hint: 'Check the number, including the country code, or enter a different mobile number.',
  }),
  unreachable: () => ({
    message: 'The text message could not be delivered to this phone number.',
    hint: 'Make sure the phone is switched on and can receive text messages, or enter a different mobile number.',
  }),
  unsubscribed: (_, context) => ({
    message: 'This phone number has unsubscribed from our text messages (it replied STOP).',
    hint: `Reply START to ${context.from ?? 'the number our codes come from'} to resubscribe, then request a new code.`,
  }),
  'region-blocked': () => ({
    message: 'Text messages to this country are not enabled.',
    hint: 'Use a phone number from a supported country, or another sign-in method. Your administrator can enable more countries.',
  }),
  'rate-limited': () => ({
    message: 'The SMS provider is receiving too many requests right now.',
    hint: 'Wait a minute and request a new code, or use another sign-in method.',
  }),
  'provider-down': (providerCode) => ({
    message: `The SMS provider failed to send the code${providerCode === null ? '' : ` (error code: ${providerCode})`}.`,
    hint: 'Try again later or use another sign-in method.',
  }),
};

/** A Twilio REST error, duck-typed so a client from another copy of the SDK works too. */
function asRestError(error: unknown): { status: number; code: number | undefined } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (typeof status !== 'number') return null;
  return { status, code: typeof code === 'number' ? code : undefined };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}
