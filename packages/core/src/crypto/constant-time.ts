import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings without leaking where they differ. Both sides are
 * hashed with SHA-256 first so `timingSafeEqual` always sees equal-length
 * buffers and the comparison time does not reveal the length of the secret.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(String(a), 'utf8').digest();
  const right = createHash('sha256').update(String(b), 'utf8').digest();
  return timingSafeEqual(left, right);
}
