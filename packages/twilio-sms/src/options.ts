import type { Clock } from '@mfa-kit/core';
import type twilio from 'twilio';

/**
 * Twilio credentials: the account SID plus either the auth token or an API
 * key (recommended by Twilio for production: revocable, per-app).
 */
export interface TwilioCredentials {
  /** Account SID, `AC…`. */
  accountSid: string;
  /** Auth token of the account. Give this or `apiKey` + `apiSecret`. */
  authToken?: string;
  /** API key SID, `SK…`. */
  apiKey?: string;
  /** Secret of `apiKey`. */
  apiSecret?: string;
}

/** Options shared by the sender and the Verify verifier. */
export interface TwilioClientOptions extends TwilioCredentials {
  /**
   * A pre-built Twilio client (`twilio(…)`). When given, the credentials
   * above are still validated but the client's own are used for requests.
   * @default a client built from the credentials and `twilioOptions`
   */
  client?: twilio.Twilio;
  /**
   * Extra options for the client this package builds, e.g. `region`/`edge`,
   * or `httpClient` to route requests elsewhere (tests use a local fake).
   * The SDK may read `TWILIO_EDGE`/`TWILIO_REGION` from the environment when
   * `edge`/`region` are not set here; this package never reads it itself.
   * @default {}
   */
  twilioOptions?: twilio.ClientOpts;
  /**
   * Upper bound for one operation including retries; the promise settles by then.
   * @default 10_000 ({@link DEFAULT_TIMEOUT_MS})
   */
  timeoutMs?: number;
  /**
   * Retries after a rate limit (20429, 60212), with exponential backoff and
   * full jitter, within `timeoutMs`. Nothing else is retried.
   * @default 2
   */
  maxRetries?: number;
  /** First backoff step in ms. @default 250 */
  retryBaseDelayMs?: number;
  /** Time source for the deadline. @default `Date.now` */
  clock?: Clock;
  /** Uniform number in [0, 1) for the backoff jitter (not security relevant). @default `Math.random` */
  jitter?: () => number;
}

/** Options of {@link createTwilioSmsSender}. Give exactly one of `from` and `messagingServiceSid`. */
export interface TwilioSmsSenderOptions extends TwilioClientOptions {
  /** E.164 sender number (or alphanumeric sender ID) owned by the account. */
  from?: string;
  /**
   * Messaging Service SID, `MG…`: Twilio picks the sender from its pool and
   * applies the service's settings (recommended; needed for some countries).
   */
  messagingServiceSid?: string;
}

/** Options of {@link createTwilioVerifyVerifier}. */
export interface TwilioVerifyVerifierOptions extends TwilioClientOptions {
  /** Verify service SID, `VA…`. */
  serviceSid: string;
}
