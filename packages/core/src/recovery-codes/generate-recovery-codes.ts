import { MfaError } from '../errors.js';
import type { Random } from '../ports/clock.js';
import { encodeBase32 } from '../totp/base32.js';
import { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH } from './alphabet.js';
import { formatRecoveryCode } from './normalize-recovery-code.js';

/** Default number of codes per set (what users of GitHub, Google and the seeds expect). */
export const DEFAULT_RECOVERY_CODE_COUNT = 10;

/**
 * Random bytes per code: 16 characters × 5 bits = 80 bits = 10 bytes, so base32
 * over the 32-symbol alphabet is uniform without rejection sampling.
 */
const BYTES_PER_CODE = (RECOVERY_CODE_LENGTH * 5) / 8;

/**
 * Generates a set of recovery codes formatted like `kayp-mz3p-ke5v-5j1h`:
 * four groups of four characters from {@link RECOVERY_CODE_ALPHABET}, 80 bits
 * of entropy each (NIST SP 800-63B §5.1.2 asks ≥ 64 bits for look-up
 * secrets). Codes within a set are distinct, so "remaining codes" counts are
 * honest. Show them once; store only keyed hashes.
 *
 * @param random cryptographically secure randomness (injected for tests)
 * @param count codes per set, 1…100; default 10
 * @throws MfaError `CONFIGURATION` for an unusable count or a broken Random.
 */
export function generateRecoveryCodes(random: Random, count: number = DEFAULT_RECOVERY_CODE_COUNT): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new MfaError('CONFIGURATION', {
      message: 'recoveryCodes.count must be an integer between 1 and 100.',
      cause: new RangeError(`count ${count}`),
    });
  }
  const codes = new Set<string>();
  // A duplicate has probability ≈ count² / 2^81; the bound only guards a broken Random.
  for (let attempts = 0; codes.size < count; attempts++) {
    const bytes = random.bytes(BYTES_PER_CODE);
    if (bytes.length !== BYTES_PER_CODE || attempts > count * 4) {
      throw new MfaError('CONFIGURATION', {
        message: 'The Random source does not produce usable random bytes.',
        cause: new RangeError(`got ${bytes.length} bytes after ${attempts} attempts`),
      });
    }
    codes.add(encodeBase32(bytes, RECOVERY_CODE_ALPHABET));
  }
  return [...codes].map(formatRecoveryCode);
}
