import type { FactorType, Requirement } from '../types.js';

/** Factors that resist phishing (bound to the origin by the authenticator): WebAuthn only. */
const PHISHING_RESISTANT: readonly FactorType[] = ['webauthn'];

/**
 * Whether a second factor verified with `factor` satisfies what the policy
 * requires of the user (`computeRequirement`). The one enforced place of
 * factor strength: `requireMfa()` (a signed-in session), the trusted-device
 * check (the factor a device proved) and the sign-in challenge (which factors
 * are offered) all ask it. A requirement with `phishingResistant` is met by
 * WebAuthn only (NIST SP 800-63B-4 §3.2.5: TOTP, SMS and recovery codes can
 * be relayed by a phishing site); any other requirement by any factor.
 */
export function factorSatisfies(requirement: Requirement, factor: FactorType): boolean {
  if (requirement.required && requirement.phishingResistant === true)
    return PHISHING_RESISTANT.includes(factor);
  return true;
}
