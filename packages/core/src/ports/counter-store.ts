/** A fixed-window limit: at most `limit` hits per `windowMs`. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

/** Result of a counter operation. */
export interface CounterResult {
  /** Whether the hit was allowed (consume) or would be (peek). */
  allowed: boolean;
  /** Hits counted in the current window after this call. */
  count: number;
  /** Milliseconds until the window resets; 0 when no window is open. */
  retryAfterMs: number;
}

/**
 * Atomic fixed-window counters that are not about one user: per IP, per phone
 * number, per country prefix, single-use token ids. Keys are plain strings
 * chosen by core (e.g. `ip-fail:203.0.113.7`); the store namespaces them.
 *
 * Atomicity: `consume` is one atomic check-and-increment; N parallel consumes
 * on a key with limit L allow exactly min(N, L).
 */
export interface CounterStore {
  /** Counts one hit if the window has room (allowed) and refuses without counting otherwise. */
  consume(key: string, limit: WindowLimit, now: number): Promise<CounterResult>;
  /** Counts one hit whatever the limit (e.g. a failure that already happened). */
  increment(key: string, limit: WindowLimit, now: number): Promise<CounterResult>;
  /** Reads without counting: `allowed` is whether one more hit would be allowed. */
  peek(key: string, limit: WindowLimit, now: number): Promise<CounterResult>;
  /** Forgets the key. */
  reset(key: string): Promise<void>;
}
