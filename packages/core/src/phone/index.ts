// Phone numbers: E.164 parsing, ITU calling codes, masking for display and events.
export { findCallingCode } from './calling-codes.js';
export { maskPhoneNumber, parsePhoneNumber } from './phone-number.js';

export type { ParsedPhoneNumber } from './phone-number.js';
