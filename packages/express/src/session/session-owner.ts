import type { SessionData } from 'express-session';

/** Whose session this is and the epoch it was issued under, for sessions mfa-kit issued (pending or signed in). */
export interface SessionOwner {
  userId: string;
  epoch: number;
}

/** The owner recorded in a session's data, or null for a session mfa-kit didn't issue (anonymous, or logged in by other means). */
export function sessionOwner(data: Partial<SessionData> | null | undefined): SessionOwner | null {
  const state = data?.mfa ?? data?.mfaPending;
  if (state === undefined || typeof state.userId !== 'string') return null;
  return { userId: state.userId, epoch: typeof state.epoch === 'number' ? state.epoch : Number.NaN };
}
