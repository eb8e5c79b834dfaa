/**
 * Interoperability of @mfa-kit/core's TOTP with two independent
 * implementations: GNU oathtool (C, liboath) and otplib 13 (JS, noble hashes).
 * Codes flow both ways: theirs must verify with findTOTPStep, ours must equal
 * theirs and validate in oathtool.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { generateSync, verify } from 'otplib';
import { describe, expect, it } from 'vitest';
import {
  decodeBase32,
  encodeBase32,
  findTOTPStep,
  generateTOTP,
} from '../../packages/core/src/totp/index.js';
import type { TotpAlgorithm } from '../../packages/core/src/types.js';

const run = promisify(execFile);
const OATHTOOL = '/usr/bin/oathtool';

/** oathtool's `--now` format; UTC so the host time zone does not matter. */
function oathTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Runs oathtool without a shell; the secret is an argument, fine for test keys. */
async function oathtool(args: string[]): Promise<string> {
  const { stdout } = await run(OATHTOOL, args, { timeout: 10_000 });
  return stdout.trim();
}

const algorithms: TotpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const digitOptions: Array<6 | 8> = [6, 8];
// Several times, including step boundaries, the Y2038 boundary and far future.
const times = [
  Date.UTC(2026, 0, 1, 0, 0, 0),
  Date.UTC(2026, 0, 1, 0, 0, 29),
  Date.UTC(2026, 0, 1, 0, 0, 30),
  Date.UTC(2030, 5, 15, 12, 34, 56),
  Date.UTC(2038, 0, 19, 3, 14, 8),
  Date.UTC(2099, 11, 31, 23, 59, 59),
];
const cases = algorithms.flatMap((algorithm) =>
  digitOptions.flatMap((digits) => times.map((timeInMs) => ({ algorithm, digits, timeInMs }))),
);

describe('oathtool interop', () => {
  it('oathtool is installed (apt-get install oathtool)', async () => {
    await expect(oathtool(['--version'])).resolves.toMatch(/oathtool/);
  });

  const secretBytes: Record<TotpAlgorithm, Uint8Array> = {
    SHA1: randomBytes(20),
    SHA256: randomBytes(32),
    SHA512: randomBytes(64),
  };

  it.each(cases)(
    '$algorithm $digits digits at $timeInMs: both directions agree',
    async ({ algorithm, digits, timeInMs }) => {
      const key = secretBytes[algorithm];
      const secret = encodeBase32(key);
      const common = [`--totp=${algorithm}`, '-b', `--digits=${digits}`, '-s', '30s'];
      const theirs = await oathtool([...common, '--now', oathTime(timeInMs), secret]);
      expect(theirs).toMatch(new RegExp(`^\\d{${digits}}$`));

      const options = { timeInMs, periodInSeconds: 30, digits, algorithm };
      const step = Math.floor(timeInMs / 30_000);
      // theirs → ours
      expect(findTOTPStep(key, theirs, { ...options, window: 1 })).toBe(step);
      // ours → theirs: identical code, and oathtool validates it at offset 0
      const ours = generateTOTP(key, options);
      expect(ours).toBe(theirs);
      await expect(oathtool([...common, '--now', oathTime(timeInMs), '-w', '0', secret, ours])).resolves.toBe(
        '0',
      );
    },
  );

  it('codes from the previous and next step verify to those steps (clock drift of one step)', async () => {
    const key = secretBytes.SHA1;
    const secret = encodeBase32(key);
    const now = Date.UTC(2026, 2, 3, 4, 5, 6);
    const step = Math.floor(now / 30_000);
    for (const offset of [-1, 1]) {
      const theirs = await oathtool(['--totp', '-b', '--now', oathTime(now + offset * 30_000), secret]);
      expect(
        findTOTPStep(key, theirs, {
          timeInMs: now,
          periodInSeconds: 30,
          digits: 6,
          algorithm: 'SHA1',
          window: 1,
        }),
      ).toBe(step + offset);
    }
  });

  it('honours a 60-second period like oathtool', async () => {
    const key = secretBytes.SHA256;
    const now = Date.UTC(2027, 6, 7, 8, 9, 10);
    const theirs = await oathtool([
      '--totp=SHA256',
      '-b',
      '-s',
      '60s',
      '--now',
      oathTime(now),
      encodeBase32(key),
    ]);
    expect(generateTOTP(key, { timeInMs: now, periodInSeconds: 60, digits: 6, algorithm: 'SHA256' })).toBe(
      theirs,
    );
  });

  it('decodes a lower-case, spaced secret the way oathtool reads the canonical one', async () => {
    const key = secretBytes.SHA1;
    const display = encodeBase32(key)
      .toLowerCase()
      .replace(/(.{4})/g, '$1 ')
      .trim();
    expect(decodeBase32(display)).toEqual(new Uint8Array(key));
  });
});

describe('otplib 13 cross-check', () => {
  const lower = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;
  const key = randomBytes(32);

  it.each(cases)(
    '$algorithm $digits digits at $timeInMs: same code, same verdict',
    async ({ algorithm, digits, timeInMs }) => {
      const epoch = Math.floor(timeInMs / 1000);
      const theirs = generateSync({ secret: key, algorithm: lower[algorithm], digits, period: 30, epoch });
      const options = { timeInMs, periodInSeconds: 30, digits, algorithm };
      expect(generateTOTP(key, options)).toBe(theirs);

      // ±1 step: otplib expresses the window in seconds.
      for (const offset of [-2, -1, 0, 1, 2]) {
        const code = generateTOTP(key, { ...options, timeInMs: timeInMs + offset * 30_000 });
        const otplibResult = await verify({
          secret: key,
          token: code,
          algorithm: lower[algorithm],
          digits,
          period: 30,
          epoch,
          epochTolerance: 30,
        });
        const ours = findTOTPStep(key, code, { ...options, window: 1 });
        expect(ours !== null).toBe(otplibResult.valid);
      }
    },
  );
});
