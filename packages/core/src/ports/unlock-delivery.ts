/**
 * The app's mailer for self-unlock links (seed 002: "check your email for
 * unlock instructions"). mfa-kit creates the signed token; the app builds the
 * link and sends it.
 */
export interface UnlockDelivery {
  deliver(message: { userId: string; token: string; expiresAt: number }): Promise<void>;
}
