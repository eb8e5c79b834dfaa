import type { SmsFailureReason } from '@mfa-kit/core';

/** How mfa-kit treats one Twilio error code. */
export interface TwilioErrorClass {
  /** SMS_FAILURE: the number can't get the SMS, the user must act; PROVIDER_FAILURE: try later. */
  code: 'SMS_FAILURE' | 'PROVIDER_FAILURE';
  reason: SmsFailureReason;
}

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors) that mfa-kit
 * tells apart. Anything else with an HTTP status is a PROVIDER_FAILURE
 * ('provider-down'): the app or Twilio must fix it, not the user.
 */
export const TWILIO_ERROR_CODES: Readonly<Record<number, TwilioErrorClass>> = {
  // The number itself is wrong.
  21211: { code: 'SMS_FAILURE', reason: 'invalid-number' }, // Invalid 'To' phone number
  21614: { code: 'SMS_FAILURE', reason: 'invalid-number' }, // 'To' is not a mobile number (landline)
  60200: { code: 'SMS_FAILURE', reason: 'invalid-number' }, // Verify: invalid parameter `To`
  // The number exists but can't receive SMS now.
  21612: { code: 'SMS_FAILURE', reason: 'unreachable' }, // 'To' not reachable via SMS
  30003: { code: 'SMS_FAILURE', reason: 'unreachable' }, // Unreachable destination handset
  30005: { code: 'SMS_FAILURE', reason: 'unreachable' }, // Unknown destination handset
  30006: { code: 'SMS_FAILURE', reason: 'unreachable' }, // Landline or unreachable carrier
  // The recipient replied STOP; only they can undo it (CTIA guidelines).
  21610: { code: 'SMS_FAILURE', reason: 'unsubscribed' },
  // The account's Geo Permissions don't allow this country (toll-fraud guard).
  21408: { code: 'SMS_FAILURE', reason: 'region-blocked' },
  60605: { code: 'SMS_FAILURE', reason: 'region-blocked' }, // Verify: blocked by Geo Permissions
  60410: { code: 'SMS_FAILURE', reason: 'region-blocked' }, // Verify Fraud Guard blocked the prefix
  // Rate limits: retry later.
  20429: { code: 'PROVIDER_FAILURE', reason: 'rate-limited' }, // Too Many Requests
  60203: { code: 'PROVIDER_FAILURE', reason: 'rate-limited' }, // Verify: max send attempts reached
  60212: { code: 'PROVIDER_FAILURE', reason: 'rate-limited' }, // Verify: too many concurrent requests
};

/** Rate limits after which a retry is safe: Twilio rejected the request, so nothing was sent. */
export const RETRYABLE_TWILIO_CODES: ReadonlySet<number> = new Set([20429, 60212]);
