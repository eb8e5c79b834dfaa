/**
 * Ends every live session of a user (admin MFA reset, self-service disable).
 * `@mfa-kit/express` ships one backed by the session store and a per-user
 * session index, so ordinary requests need no extra lookup.
 */
export interface SessionRevoker {
  revokeAll(userId: string): Promise<void>;
}
