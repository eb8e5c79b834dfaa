/**
 * Which live sessions each user has, so that revoking them (admin MFA reset,
 * self-service disable) needs no SCAN of every session and ordinary requests
 * need no lookup at all: the index is written when a logged-in session is
 * saved under a new id, and read only at revocation time.
 */
export interface SessionIndex {
  /** Files session `sid` under `userId`. Idempotent. */
  add(userId: string, sid: string): Promise<void>;
  /** Forgets one session (it was destroyed or logged out). */
  remove(userId: string, sid: string): Promise<void>;
  /** Atomically returns every session id filed under `userId` and empties the user's entry. */
  takeAll(userId: string): Promise<string[]>;
}
