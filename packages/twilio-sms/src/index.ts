// Public API of @mfa-kit/twilio-sms. Values first, then types.
export { createTwilioSmsSender } from './create-twilio-sms-sender.js';
export { createTwilioVerifyVerifier } from './create-twilio-verify-verifier.js';
export { formatSmsMessage } from './format-sms-message.js';
export { mapTwilioError } from './map-twilio-error.js';
export { RETRYABLE_TWILIO_CODES, TWILIO_ERROR_CODES } from './twilio-error-codes.js';
export { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_DELAY_MS, DEFAULT_TIMEOUT_MS } from './defaults.js';

export type { SmsMessageInput } from './format-sms-message.js';
export type { TwilioErrorContext } from './map-twilio-error.js';
export type {
  TwilioClientOptions,
  TwilioCredentials,
  TwilioSmsSenderOptions,
  TwilioVerifyVerifierOptions,
} from './options.js';
export type { TwilioErrorClass } from './twilio-error-codes.js';
