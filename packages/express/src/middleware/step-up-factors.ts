import type { FactorType, UserMfaStatus } from '@mfa-kit/core';

/**
 * The factors a user can step up with at `POST /verify`, in the order a page
 * offers them: each one set up, a passkey (`webauthn`, via
 * `POST /verify/webauthn/options`) only while WebAuthn is configured. A user
 * whose policy requires phishing-resistant MFA and who has a passkey steps
 * up with it alone, as their pending sign-in offers it alone: a code step-up
 * would turn their session into one `requireMfa()` refuses.
 */
export function stepUpFactors(status: UserMfaStatus, webauthnConfigured: boolean): FactorType[] {
  if (stepsUpWithPasskeyOnly(status, webauthnConfigured)) return ['webauthn'];
  const passkey = webauthnConfigured && status.webauthn.length > 0;
  const factors: FactorType[] = [];
  if (passkey) factors.push('webauthn');
  if (status.totp !== null) factors.push('totp');
  if (status.sms !== null) factors.push('sms');
  if (status.recoveryCodesRemaining > 0) factors.push('recovery');
  return factors;
}

/** Whether the user's policy requires phishing-resistant MFA and they hold a passkey: then only it steps up. */
export function stepsUpWithPasskeyOnly(status: UserMfaStatus, webauthnConfigured: boolean): boolean {
  const { requirement } = status;
  return (
    webauthnConfigured &&
    status.webauthn.length > 0 &&
    requirement.required &&
    requirement.phishingResistant === true
  );
}
