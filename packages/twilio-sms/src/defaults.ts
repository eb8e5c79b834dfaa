/**
 * Total time one send may take, retries included. Ten seconds keeps a
 * sign-in request well under common proxy timeouts (30–60 s) while leaving
 * Twilio's p99 API latency (well below 1 s) plenty of room.
 */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Retries after Twilio answers 20429 (Too Many Requests). Only rate limits
 * are retried: a 5xx or a timeout may already have queued the message, and a
 * second SMS with the same code is worse than an error the user can retry.
 */
export const DEFAULT_MAX_RETRIES = 2;

/** First backoff step; doubles per retry, with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
export const DEFAULT_RETRY_BASE_DELAY_MS = 250;

/** Provider name recorded in mfa-kit events. */
export const PROVIDER_NAME = 'twilio';
