/** One SMS to send. */
export interface SmsMessage {
  /** E.164 destination, e.g. `+14155550100`. */
  to: string;
  /** Full message text (already contains the code). */
  body: string;
}

/** Why an SMS could not be sent; carried in `MfaError.details.reason`. */
export type SmsFailureReason =
  | 'invalid-number'
  | 'unreachable'
  | 'unsubscribed'
  | 'region-blocked'
  | 'rate-limited'
  | 'provider-down';

/**
 * Delivers SMS. Failures reject with `MfaError`:
 * - `SMS_FAILURE` when this number can't receive it (invalid, landline,
 *   unsubscribed, region blocked) — the user must act;
 * - `PROVIDER_FAILURE` when the provider failed (5xx, network, timeout,
 *   rate limit) — try later;
 * with `details.providerCode` (e.g. Twilio 21211) and `details.reason`.
 */
export interface SmsSender {
  /** Provider name recorded in events, e.g. `twilio`. */
  readonly name: string;
  send(message: SmsMessage): Promise<{ id: string }>;
}

/**
 * Optional: a provider that generates and checks codes itself (e.g. Twilio
 * Verify). mfa-kit's own limits still apply on top. Failures reject like
 * {@link SmsSender}.
 */
export interface PhoneVerifier {
  readonly name: string;
  /** Sends a code to `to`. */
  start(to: string): Promise<void>;
  /** Whether `code` is the live code for `to` (false for wrong/expired). */
  check(to: string, code: string): Promise<boolean>;
}
