import type { TotpAlgorithm } from '../types.js';

/** Options of {@link createTOTPKeyURI}. */
export interface TOTPKeyURIOptions {
  /** Service name shown in the authenticator app, e.g. `Clarus WMS`. Must not contain `:`. */
  issuer: string;
  /** The user's account label, e.g. an email address. */
  accountName: string;
  /** The secret, base32 without padding. */
  secret: string;
  /** HMAC hash; apps other than Google Authenticator may ignore anything but SHA1. */
  algorithm: TotpAlgorithm;
  /** Code length shown by the app. */
  digits: 6 | 8;
  /** Time step in seconds (RFC 6238 §4.1 X). */
  periodInSeconds: number;
}

/**
 * Percent-encodes a URI component the strict way: `encodeURIComponent` leaves
 * `!'()*` alone, which some QR/authenticator parsers mishandle, and spaces
 * must be `%20` (not `+`) per Google's Key Uri Format.
 */
function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Builds the `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…&digits=…&period=…`
 * URI that authenticator apps scan from a QR code (Google Authenticator's Key
 * Uri Format). The issuer appears both as label prefix and as parameter, as
 * the format recommends, so older and newer apps both show it. The colon
 * between issuer and account stays literal; everything else is
 * percent-encoded.
 */
export function createTOTPKeyURI(options: TOTPKeyURIOptions): string {
  const label = `${encodeStrict(options.issuer)}:${encodeStrict(options.accountName)}`;
  const query = [
    `secret=${encodeStrict(options.secret.replace(/=+$/, ''))}`,
    `issuer=${encodeStrict(options.issuer)}`,
    `algorithm=${options.algorithm}`,
    `digits=${options.digits}`,
    `period=${options.periodInSeconds}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}
