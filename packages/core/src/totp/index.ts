// TOTP (RFC 6238) on HOTP (RFC 4226), base32 secrets and otpauth:// key URIs.
export { decodeBase32, encodeBase32 } from './base32.js';
export { generateTOTPSecret } from './generate-secret.js';
export { generateHOTP } from './hotp.js';
export { createTOTPKeyURI } from './key-uri.js';
export { findTOTPStep, generateTOTP, getTOTPStep } from './totp.js';

export type { TOTPKeyURIOptions } from './key-uri.js';
export type { FindTOTPStepOptions, TOTPOptions } from './totp.js';
