import { readFileSync } from 'node:fs';
import { type ReencryptProgress, createKeyRing, isMfaError, MfaError } from '@mfa-kit/core';
import type { CliCommand, CommandContext } from '../command.js';
import type { CliEncryption } from '../connect.js';
import { usageError } from '../usage-error.js';

/** Default users per batch (one `listUserIds` page, re-sealed in parallel). */
const DEFAULT_BATCH_SIZE = 100;
/** Default users between two progress lines (a line also comes at least every second). */
const DEFAULT_PROGRESS_EVERY = 1_000;
/** At most this long between two progress lines while batches keep finishing, ms. */
const PROGRESS_INTERVAL_MS = 1_000;

const KEYS_SHAPE = '{ "currentKeyId": "<id>", "keys": { "<id>": "<base64 32-byte key>" } }';

/**
 * Parses and checks the key ring JSON. Messages never quote the text: it
 * holds key material, and a parse error echoing it would put a key on screen
 * and in shell logs.
 */
export function parseEncryptionKeys(text: string, source: string): CliEncryption {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw usageError(`${source} is not valid JSON; expected ${KEYS_SHAPE}.`, cause);
  }
  const value = parsed as { currentKeyId?: unknown; keys?: unknown } | null;
  const keys = value?.keys;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.currentKeyId !== 'string' ||
    typeof keys !== 'object' ||
    keys === null ||
    Array.isArray(keys) ||
    !Object.values(keys).every((key) => typeof key === 'string')
  ) {
    throw usageError(`${source} must look like ${KEYS_SHAPE}.`);
  }
  const encryption: CliEncryption = {
    currentKeyId: value.currentKeyId,
    keys: keys as Record<string, string>,
  };
  try {
    // The same checks createMfa makes (32-byte keys, id format, current key present), as a usage error.
    createKeyRing(encryption);
  } catch (cause) {
    if (isMfaError(cause, 'CONFIGURATION')) throw usageError(`${source}: ${cause.message}`, cause);
    throw cause;
  }
  return encryption;
}

/** The key ring from `--keys-file` or else `MFA_ENCRYPTION_KEYS`; a usage error when neither is given. */
function encryptionOf(context: CommandContext): CliEncryption {
  const file = context.values['keys-file'];
  if (typeof file === 'string') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw usageError(
        `Cannot read --keys-file ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`,
        cause,
      );
    }
    return parseEncryptionKeys(text, `--keys-file ${file}`);
  }
  const env = context.encryptionKeysFromEnv;
  if (env !== undefined && env.trim() !== '') return parseEncryptionKeys(env, 'MFA_ENCRYPTION_KEYS');
  throw usageError(
    `reencrypt needs the app's encryption keys (the old ones and the new current one): pass --keys-file PATH or set MFA_ENCRYPTION_KEYS to ${KEYS_SHAPE}.`,
  );
}

function positiveIntegerOption(context: CommandContext, name: string, fallback: number, max: number): number {
  const raw = context.values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < 1 || n > max) {
    throw usageError(`--${name} must be an integer 1-${max}.`);
  }
  return n;
}

/** `re-encrypted 1200/… users (1150 re-sealed, 3 failed)`: the total is known only at the end (the listing is a SCAN). */
const progressLine = (p: ReencryptProgress, done: boolean) =>
  `re-encrypted ${p.scanned}/${done ? p.scanned : '…'} users (${p.resealed} re-sealed, ${p.failed} failed)`;

/**
 * `mfa-kit reencrypt`: key rotation over every user. After the app got a new
 * current key (old keys still in the ring), this re-seals every TOTP secret
 * and phone number under it so the old key can be removed.
 */
export const reencryptCommand: CliCommand = {
  name: 'reencrypt',
  summary: 'Re-seal every user’s TOTP secret and phone under the current key (key rotation)',
  help: `Usage: mfa-kit reencrypt (--keys-file PATH | env MFA_ENCRYPTION_KEYS) [--batch-size N] [--yes]

Key rotation. Walks every user with an MFA record and re-seals their TOTP
secret and phone number under the current key id of the key ring you give,
the same ring as the app's createMfa({ encryption }): the old key(s) and the
new current one. Values already under the current key are left alone, so it
is safe to run again (e.g. after an interruption). Users enrolled while it
runs are sealed under the new key by the app itself, once it runs with the
new ring. Remove the old key from the app only after a run with 0 failed and
after pending SMS codes sealed under it expired (minutes).

A user whose values don't open with these keys (a key id missing from the
ring, or tampered data) is counted as failed and listed (first 100); the run
goes on and exits 1. Nothing is written to the MFA event log; keep the
summary.

  --keys-file PATH     JSON ${KEYS_SHAPE}
                       (or the same JSON in env MFA_ENCRYPTION_KEYS)
  --batch-size N       users per batch (default ${DEFAULT_BATCH_SIZE}, max 1000)
  --progress-every N   a progress line on stderr every N users (default ${DEFAULT_PROGRESS_EVERY}),
                       and at least every second`,
  options: {
    'keys-file': { type: 'string' },
    'batch-size': { type: 'string' },
    'progress-every': { type: 'string' },
  },
  confirms: () => true,
  async run(context) {
    const encryption = encryptionOf(context);
    const batchSize = positiveIntegerOption(context, 'batch-size', DEFAULT_BATCH_SIZE, 1_000);
    const progressEvery = positiveIntegerOption(context, 'progress-every', DEFAULT_PROGRESS_EVERY, 1_000_000);
    const oldKeys = Object.keys(encryption.keys).filter((id) => id !== encryption.currentKeyId);
    await context.confirm({
      yesNo: `Re-seal every user's TOTP secret and phone number under key "${encryption.currentKeyId}"${oldKeys.length > 0 ? ` (reading keys ${oldKeys.join(', ')})` : ''}? [y/N] `,
    });
    const { mfa } = await context.connect({ encryption });
    let lastScanned = 0;
    let lastTime = Date.now();
    const result = await mfa.maintenance.reencryptAll({
      batchSize,
      onProgress(progress) {
        // Progress is for the operator watching a long run; the clock only paces the lines.
        const now = Date.now();
        if (progress.scanned - lastScanned >= progressEvery || now - lastTime >= PROGRESS_INTERVAL_MS) {
          context.io.err(progressLine(progress, false));
          lastScanned = progress.scanned;
          lastTime = now;
        }
      },
    });
    context.io.err(progressLine(result, true));
    if (context.json) {
      context.io.out(
        JSON.stringify({
          ok: result.failed === 0,
          action: 'reencrypt',
          currentKeyId: encryption.currentKeyId,
          ...result,
        }),
      );
    } else {
      const lines = [
        `Re-encrypted under key "${encryption.currentKeyId}": ${result.scanned} users checked, ${result.resealed} re-sealed, ${result.failed} failed.`,
      ];
      if (result.failed > 0) {
        const more = result.failed - result.failedUserIds.length;
        lines.push(
          `Failed (values that don't open with these keys)${more > 0 ? `, first ${result.failedUserIds.length} of ${result.failed}` : ''}:`,
          ...result.failedUserIds.map((id) => `  ${id}`),
        );
      } else {
        lines.push(
          `Every value is under "${encryption.currentKeyId}". Old keys can be removed once pending SMS codes expired.`,
        );
      }
      context.io.out(lines.join('\n'));
    }
    if (result.failed > 0) {
      throw new MfaError('KEY_UNAVAILABLE', {
        message: `${result.failed} user(s) could not be re-encrypted; keep the old keys until they are fixed (mfa-kit status <user>, or reset them).`,
        cause: new Error(`failed: ${result.failedUserIds.join(', ')}`),
      });
    }
  },
};
