/** Time source, injected so tests control it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Randomness source, injected so tests control it. Must be cryptographically secure in production. */
export interface Random {
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
}
