/** Thrown by {@link withDeadline} when the time is up; mapped to PROVIDER_FAILURE `ETIMEDOUT`. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  readonly code = 'ETIMEDOUT';

  constructor(timeoutMs: number) {
    super(`No answer from Twilio within ${timeoutMs} ms`);
  }
}

/**
 * Settles with `operation` or rejects with {@link DeadlineExceededError}
 * after `timeoutMs`, whichever comes first. The timer is always cleared, so
 * no pending timer keeps the process alive or fires late. The abandoned
 * request itself is bounded by the SDK's socket timeout.
 */
export async function withDeadline<T>(operation: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([operation, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
