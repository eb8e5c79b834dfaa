import type { MfaError } from '@mfa-kit/core';
import type { ResolvedClientOptions } from './resolve-client-options.js';
import { RETRYABLE_TWILIO_CODES } from './twilio-error-codes.js';
import { DeadlineExceededError, withDeadline } from './with-deadline.js';

type RetrySettings = Pick<
  ResolvedClientOptions,
  'timeoutMs' | 'maxRetries' | 'retryBaseDelayMs' | 'clock' | 'jitter'
>;

/**
 * Runs `operation` within one total deadline of `timeoutMs`, retrying only
 * Twilio rate limits (nothing was sent, so a retry can't duplicate an SMS)
 * with exponential backoff and full jitter, and only while the backoff still
 * fits before the deadline. Every failure comes out through `mapError`.
 */
export async function runWithRetries<T>(
  operation: () => Promise<T>,
  settings: RetrySettings,
  mapError: (error: unknown) => MfaError,
): Promise<T> {
  const deadline = settings.clock.now() + settings.timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    const remainingMs = deadline - settings.clock.now();
    if (remainingMs <= 0) throw mapError(new DeadlineExceededError(settings.timeoutMs));
    let mapped: MfaError;
    try {
      return await withDeadline(operation(), remainingMs);
    } catch (error) {
      mapped = mapError(error);
    }
    const providerCode = mapped.details.providerCode;
    const retryable = typeof providerCode === 'number' && RETRYABLE_TWILIO_CODES.has(providerCode);
    if (!retryable || attempt >= settings.maxRetries) throw mapped;
    const delayMs = Math.floor(settings.retryBaseDelayMs * 2 ** attempt * settings.jitter());
    if (settings.clock.now() + delayMs >= deadline) throw mapped;
    await sleep(delayMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
