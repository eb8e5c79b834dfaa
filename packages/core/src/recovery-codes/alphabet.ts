/**
 * Crockford's base32 alphabet in lower case: digits and letters without
 * `i`, `l`, `o` (confusable with `1` and `0`) and `u` (avoids accidental
 * words). Exactly 32 symbols, so each character carries 5 bits and random
 * bytes map onto it without bias. See https://www.crockford.com/base32.html.
 */
export const RECOVERY_CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Characters per code: 16 × 5 bits = 80 bits of entropy. */
export const RECOVERY_CODE_LENGTH = 16;

/** Characters per dash-separated group when displayed. */
export const RECOVERY_CODE_GROUP_LENGTH = 4;
