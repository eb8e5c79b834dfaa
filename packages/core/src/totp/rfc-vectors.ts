/**
 * RFC 6238 Appendix B test vectors, shared by the unit tests and the TOTP
 * benchmark (test/bench/totp.ts). Not exported from the package index.
 */
import type { TotpAlgorithm } from '../types.js';

// The seeds are the ASCII digits repeated to the hash's block-friendly
// lengths: 20 bytes (SHA1), 32 (SHA256), 64 (SHA512).
const seed = (length: number): Uint8Array =>
  new TextEncoder().encode('1234567890'.repeat(7).slice(0, length));

/** The secret (raw bytes) for each algorithm's rows. */
export const RFC6238_SEEDS: Readonly<Record<TotpAlgorithm, Uint8Array>> = {
  SHA1: seed(20),
  SHA256: seed(32),
  SHA512: seed(64),
};

/** Unix time in seconds, algorithm, and the 8-digit code (30-second period). */
export const RFC6238_ROWS: ReadonlyArray<readonly [seconds: number, algorithm: TotpAlgorithm, code: string]> =
  [
    [59, 'SHA1', '94287082'],
    [59, 'SHA256', '46119246'],
    [59, 'SHA512', '90693936'],
    [1111111109, 'SHA1', '07081804'],
    [1111111109, 'SHA256', '68084774'],
    [1111111109, 'SHA512', '25091201'],
    [1111111111, 'SHA1', '14050471'],
    [1111111111, 'SHA256', '67062674'],
    [1111111111, 'SHA512', '99943326'],
    [1234567890, 'SHA1', '89005924'],
    [1234567890, 'SHA256', '91819424'],
    [1234567890, 'SHA512', '93441116'],
    [2000000000, 'SHA1', '69279037'],
    [2000000000, 'SHA256', '90698825'],
    [2000000000, 'SHA512', '38618901'],
    [20000000000, 'SHA1', '65353130'],
    [20000000000, 'SHA256', '77737706'],
    [20000000000, 'SHA512', '47863826'],
  ];
