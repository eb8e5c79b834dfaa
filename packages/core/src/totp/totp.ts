import { timingSafeEqual } from 'node:crypto';
import { MAX_TOTP_WINDOW } from '../defaults.js';
import { MfaError } from '../errors.js';
import type { TotpAlgorithm } from '../types.js';
import { computeHOTPValue } from './hotp.js';

/** Options shared by {@link generateTOTP} and {@link findTOTPStep}. */
export interface TOTPOptions {
  /** The time to compute the code for, epoch milliseconds (from the injected clock). */
  timeInMs: number;
  /** Time-step length X of RFC 6238 §4.1, in seconds (30 in practice). */
  periodInSeconds: number;
  /** Code length. */
  digits: 6 | 8;
  /** HMAC hash (RFC 6238 §1.2). */
  algorithm: TotpAlgorithm;
}

/** Options of {@link findTOTPStep}. */
export interface FindTOTPStepOptions extends TOTPOptions {
  /** Steps accepted either side of the current one (0…{@link MAX_TOTP_WINDOW}). */
  window: number;
}

/**
 * The RFC 6238 §4.2 time step T = floor((now − T0) / X) with T0 = 0.
 *
 * @throws MfaError `CONFIGURATION` when the time or period is not usable.
 */
export function getTOTPStep(timeInMs: number, periodInSeconds: number): number {
  if (!Number.isInteger(periodInSeconds) || periodInSeconds < 1) {
    throw new MfaError('CONFIGURATION', {
      message: 'TOTP periodInSeconds must be a positive integer.',
      cause: new RangeError(`periodInSeconds ${periodInSeconds}`),
    });
  }
  if (!Number.isFinite(timeInMs) || timeInMs < 0) {
    throw new MfaError('CONFIGURATION', {
      message: 'TOTP time must be a non-negative finite number of milliseconds.',
      cause: new RangeError(`timeInMs ${timeInMs}`),
    });
  }
  return Math.floor(timeInMs / 1000 / periodInSeconds);
}

/**
 * Generates the TOTP code for a time (RFC 6238 §4): HOTP with the time step
 * as counter. The time is a parameter so callers inject their clock.
 */
export function generateTOTP(key: Uint8Array, options: TOTPOptions): string {
  const step = getTOTPStep(options.timeInMs, options.periodInSeconds);
  return computeHOTPValue(key, step, options.digits, options.algorithm)
    .toString()
    .padStart(options.digits, '0');
}

/**
 * True when `code` is exactly `digits` ASCII digits. Checked before any HMAC
 * so hostile input (unicode digits, 10 kB strings, non-strings) costs nothing.
 */
function isWellFormedCode(code: unknown, digits: number): code is string {
  if (typeof code !== 'string' || code.length !== digits) return false;
  for (let i = 0; i < digits; i++) {
    const c = code.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Writes `value` as zero-padded ASCII digits filling `target` (no string round trip). */
function writeDigits(value: number, target: Buffer): void {
  let rest = value;
  for (let i = target.length - 1; i >= 0; i--) {
    target[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
}

/**
 * Finds the time step whose TOTP equals `code`, trying the current step and
 * `window` steps either side (RFC 6238 §5.2: allow for clock drift and
 * network delay). Returns the matched step — the caller records it so the
 * same step is never accepted twice (RFC 6238 §5.2 replay rule) — or `null`.
 *
 * Never throws on bad codes: anything that is not exactly `digits` ASCII
 * digits is `null` before any HMAC is computed. Every candidate step is
 * computed and compared with `timingSafeEqual`, without an early exit, so the
 * response time does not reveal which step (if any) matched. When two steps
 * of the window share a code (≈ window/10^digits chance), the step nearest
 * to now wins.
 *
 * @throws MfaError `CONFIGURATION` for unusable options (period, time, window).
 */
export function findTOTPStep(key: Uint8Array, code: unknown, options: FindTOTPStepOptions): number | null {
  const { window, digits, algorithm } = options;
  if (!Number.isInteger(window) || window < 0 || window > MAX_TOTP_WINDOW) {
    throw new MfaError('CONFIGURATION', {
      message: `TOTP window must be an integer between 0 and ${MAX_TOTP_WINDOW}.`,
      cause: new RangeError(`window ${window}`),
    });
  }
  const current = getTOTPStep(options.timeInMs, options.periodInSeconds);
  if (!isWellFormedCode(code, digits)) return null;
  const submitted = Buffer.from(code, 'latin1');
  const expected = Buffer.allocUnsafe(digits);
  const scratch = Buffer.allocUnsafe(8);
  let matched: number | null = null;
  // Order 0, −1, +1, −2, +2 … and keep the first hit: the nearest step wins.
  for (let i = 0; i <= 2 * window; i++) {
    const offset = i % 2 === 1 ? -(i + 1) / 2 : i / 2;
    const step = current + offset;
    if (step < 0) continue;
    writeDigits(computeHOTPValue(key, step, digits, algorithm, scratch), expected);
    const equal = timingSafeEqual(expected, submitted);
    if (equal && matched === null) matched = step;
  }
  return matched;
}
