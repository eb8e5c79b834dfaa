import type { FactorType, UserMfaStatus } from '@mfa-kit/core';

/**
 * The factors a user can step up with at `POST /verify`, in the order a page
 * offers them: each one set up, a passkey (`webauthn`, via
 * `POST /verify/webauthn/options`) only while WebAuthn is configured.
 */
export function stepUpFactors(status: UserMfaStatus, webauthnConfigured: boolean): FactorType[] {
  const factors: FactorType[] = [];
  if (webauthnConfigured && status.webauthn.length > 0) factors.push('webauthn');
  if (status.totp !== null) factors.push('totp');
  if (status.sms !== null) factors.push('sms');
  if (status.recoveryCodesRemaining > 0) factors.push('recovery');
  return factors;
}
