import { MfaError } from '../errors.js';

/** RFC 4648 §6 base32 alphabet (the one authenticator apps expect in `otpauth://` URIs). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Character code → 5-bit value; -1 for characters outside the alphabet. Covers both cases. */
const DECODE_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) {
    table[ALPHABET.charCodeAt(i)] = i;
    table[ALPHABET.toLowerCase().charCodeAt(i)] = i;
  }
  return table;
})();

/**
 * Encodes bytes as RFC 4648 §6 base32, uppercase and without `=` padding:
 * Google Authenticator's Key Uri Format asks for the secret unpadded.
 * Another 32-symbol `alphabet` gives another base32 flavour (recovery codes
 * use a lowercase Crockford one); every 5-bit group maps to one symbol.
 */
export function encodeBase32(bytes: Uint8Array, alphabet: string = ALPHABET): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += alphabet[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes RFC 4648 §6 base32. Lenient where people copy secrets by hand:
 * case-insensitive, ignores spaces, dashes and `=` padding (authenticator
 * apps display secrets in groups). Any other character is a caller error.
 *
 * @throws MfaError `VALIDATION` on a character outside the alphabet.
 */
export function decodeBase32(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let length = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // space, dash and padding are separators, not data
    if (code === 0x20 || code === 0x2d || code === 0x3d) continue;
    const value = code < 128 ? (DECODE_TABLE[code] ?? -1) : -1;
    if (value < 0) {
      throw new MfaError('VALIDATION', {
        message: `Invalid base32 character at position ${i}.`,
        fields: { secret: 'must be base32 (A–Z, 2–7)' },
        cause: new RangeError(`character code ${code} is not in the RFC 4648 base32 alphabet`),
      });
    }
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (buffer >>> bits) & 0xff;
    }
  }
  // Leftover bits (< 8) are the zero padding of the final quantum (RFC 4648 §6).
  return out.slice(0, length);
}
