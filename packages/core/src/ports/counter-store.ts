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

/** Result of {@link CounterStore.reserve}. */
export interface Reservation {
  /** Whether a slot was taken. */
  allowed: boolean;
  /** Slots taken in the window after this call. */
  count: number;
  /** When refused: ms until the oldest slot leaves the window (then one more is allowed); else 0. */
  retryAfterMs: number;
  /** When allowed: the id to pass to `release` to give the slot back; else null. */
  id: string | null;
}

/**
 * Atomic counters that are not about one user: per address, per phone
 * number, per country prefix, per user for SMS sends. Keys are plain strings
 * chosen by core (e.g. `sms-ip:203.0.113.7`); the store namespaces them.
 * Two kinds, never mixed on one key: fixed windows (`consume`, `increment`,
 * `peek`) and sliding-window budgets (`reserve`, `available`, `release`).
 *
 * Atomicity: `consume` and `reserve` are one atomic check-and-take each; N
 * parallel calls on a key with limit L allow exactly min(N, L).
 *
 * Time: `now` is the caller's clock; a store may use a clock of its own (the
 * Redis store uses Redis `TIME`, so every app server sees the same windows).
 */
export interface CounterStore {
  /** Counts one hit if the window has room (allowed) and refuses without counting otherwise. */
  consume(key: string, limit: WindowLimit, now: number): Promise<CounterResult>;
  /** Counts one hit whatever the limit (e.g. a failure that already happened). */
  increment(key: string, limit: WindowLimit, now: number): Promise<CounterResult>;
  /** Reads without counting: `allowed` is whether one more hit would be allowed. */
  peek(key: string, limit: WindowLimit, now: number): Promise<CounterResult>;
  /** Forgets the key (either kind). */
  reset(key: string): Promise<void>;
  /**
   * Sliding window: takes one slot if fewer than `limit.limit` slots were taken
   * in the last `limit.windowMs` (refusals take nothing). Reserve before doing
   * the work the budget protects, `release` when it turned out free, so
   * parallel requests can never exceed the budget.
   */
  reserve(key: string, limit: WindowLimit, now: number): Promise<Reservation>;
  /**
   * Sliding window, read only: whether `reserve` would take a slot now (`allowed`, with `count` the
   * slots in the window and a refusal's `retryAfterMs` as `reserve` gives them); takes nothing, so
   * `id` is always null. For work that is usually free (a code already known to match), checked
   * first and charged with `reserve` only if it turns out to count.
   */
  available(key: string, limit: WindowLimit, now: number): Promise<Reservation>;
  /** Gives back a slot taken by `reserve` (no-op if it already left the window). */
  release(key: string, id: string): Promise<void>;
}
