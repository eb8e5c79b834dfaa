import { type Clock, MfaError } from '@mfa-kit/core';
import twilio from 'twilio';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_DELAY_MS, DEFAULT_TIMEOUT_MS } from './defaults.js';
import type { TwilioClientOptions } from './options.js';

/** Settings every Twilio operation of this package runs with, validated once. */
export interface ResolvedClientOptions {
  client: twilio.Twilio;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  clock: Clock;
  jitter: () => number;
}

const systemClock: Clock = { now: () => Date.now() };

/**
 * Validates credentials and limits and builds (or adopts) the Twilio client.
 * Throws `MfaError('CONFIGURATION')` at creation, so a typo fails at boot
 * instead of at a user's first sign-in.
 */
export function resolveClientOptions(options: TwilioClientOptions): ResolvedClientOptions {
  const { accountSid, authToken, apiKey, apiSecret } = options;
  if (typeof accountSid !== 'string' || !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw configurationError('accountSid must be a Twilio account SID (AC followed by 32 hex digits).');
  }
  const hasToken = isNonEmpty(authToken);
  const hasKey = isNonEmpty(apiKey) || isNonEmpty(apiSecret);
  if (hasToken === hasKey) {
    throw configurationError('Give either authToken or apiKey + apiSecret (exactly one of them).');
  }
  if (hasKey && !(isNonEmpty(apiKey) && apiKey.startsWith('SK') && isNonEmpty(apiSecret))) {
    throw configurationError('apiKey must be an API key SID (SK…) and apiSecret its secret.');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw configurationError('timeoutMs must be a positive number.');
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw configurationError('maxRetries must be a non-negative integer.');
  }
  const retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  if (!Number.isFinite(retryBaseDelayMs) || retryBaseDelayMs < 0) {
    throw configurationError('retryBaseDelayMs must be a non-negative number.');
  }
  let client = options.client;
  if (!client) {
    // The SDK's per-request timeout bounds the socket even after our deadline gave up on it.
    const clientOptions: twilio.ClientOpts = { timeout: timeoutMs, ...options.twilioOptions };
    try {
      client = hasToken
        ? twilio(accountSid, authToken, clientOptions)
        : twilio(apiKey, apiSecret, { ...clientOptions, accountSid });
    } catch (cause) {
      throw configurationError('The Twilio client could not be created from these options.', cause);
    }
  }
  return {
    client,
    timeoutMs,
    maxRetries,
    retryBaseDelayMs,
    clock: options.clock ?? systemClock,
    jitter: options.jitter ?? Math.random,
  };
}

/** A CONFIGURATION error with a message that names the option (never its value). */
export function configurationError(message: string, cause?: unknown): MfaError {
  return new MfaError('CONFIGURATION', { message: `@mfa-kit/twilio-sms: ${message}`, cause });
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
