import { findCallingCode } from './calling-codes.js';

/** A phone number in E.164 form, split for display and per-country limits. */
export interface ParsedPhoneNumber {
  /** `+` and 8–15 digits, e.g. `+14155550100`. */
  e164: string;
  /** ITU country calling code without `+`, e.g. `1`, `44`, `380`. */
  callingCode: string;
  /** Safe to show and log: `+1 ••• ••• 0100`. */
  masked: string;
}

/** Inputs longer than this are rejected before any processing. */
const MAX_INPUT_LENGTH = 64;
/** E.164 §6.1: at most 15 digits; fewer than 8 is not a real subscriber number anywhere we send SMS. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/** Formatting people type around numbers: space, dash, dot, parentheses. */
function isFormatting(code: number): boolean {
  return code === 0x20 || code === 0x2d || code === 0x2e || code === 0x28 || code === 0x29;
}

/** Bullets for the hidden middle digits, in groups of three. */
function bullets(count: number): string {
  const groups: string[] = [];
  for (let left = count; left > 0; left -= 3) groups.push('•'.repeat(Math.min(3, left)));
  return groups.join(' ');
}

/** Masks validated E.164 digits (without `+`) given their calling code. */
function maskDigits(digits: string, callingCode: string): string {
  const national = digits.slice(callingCode.length);
  const hidden = Math.max(0, national.length - 4);
  return `+${callingCode} ${bullets(hidden)} ${national.slice(hidden)}`;
}

/**
 * Parses a phone number in international form: `+`, then 8–15 digits
 * starting with an assigned ITU country calling code (ITU-T E.164). Spaces,
 * dashes, dots and parentheses are tolerated (`+1 (415) 555-0100`); anything
 * else — letters, a missing `+`, a leading 0 after `+`, unicode digits — gives
 * `null`. Never throws, so bad input is an ordinary validation outcome.
 */
export function parsePhoneNumber(input: unknown): ParsedPhoneNumber | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const text = input.trim();
  if (text.charCodeAt(0) !== 0x2b) return null;
  let digits = '';
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) digits += text[i];
    else if (!isFormatting(code)) return null;
  }
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS || digits[0] === '0') return null;
  const callingCode = findCallingCode(digits);
  if (callingCode === null) return null;
  return { e164: `+${digits}`, callingCode, masked: maskDigits(digits, callingCode) };
}

/**
 * Masks a phone number for display and events (which must never hold full
 * numbers): calling code, bullets, last four digits — `+1 ••• ••• 0100`.
 * Input that is not a valid number yields `+••• ••• ••••` rather than an
 * error or the input itself, so logging code can never leak it.
 */
export function maskPhoneNumber(e164: string): string {
  return parsePhoneNumber(e164)?.masked ?? '+••• ••• ••••';
}
