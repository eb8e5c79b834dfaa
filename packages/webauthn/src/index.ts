// Public API of @mfa-kit/webauthn. Values first, then types.
export { createWebAuthnVerifier } from './create-webauthn-verifier.js';

export type { WebAuthnVerifierOptions } from './options.js';
