// Key rotation with the real `mfa-kit reencrypt` binary: users enrolled under
// key k1 on a test-owned Redis prefix, the CLI re-seals everyone under k2,
// and an app restarted with ONLY k2 still signs every one of them in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Mfa,
  type MfaOptions,
  type MfaUser,
  type SmsMessage,
  createMfa,
  decodeBase32,
  generateTOTP,
} from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, redisUrl, uniquePrefix } from '../harness/index.js';
import { prepareCli, runCli } from './cli-binary.js';

const KEY_0 = Buffer.alloc(32, 3).toString('base64');
const KEY_1 = Buffer.alloc(32, 5).toString('base64');
const KEY_2 = Buffer.alloc(32, 11).toString('base64');
const HASH_KEY = 'reencrypt-cli-test-hash-key-of-at-least-32-bytes';
const ctx = { ip: '198.51.100.7' };

let cliPath: string;
let redis: Redis;
let dir: string;
/** One clock for every instance of a test, moved on by hand so TOTP steps are fresh. */
let time = Math.floor(Date.now() / 30_000) * 30_000;
const clock = { now: () => time };

beforeAll(async () => {
  cliPath = (await prepareCli()).path;
  redis = createTestRedis();
  dir = mkdtempSync(join(tmpdir(), 'mfa-kit-reencrypt-'));
});

afterAll(async () => {
  await redis?.quit();
  rmSync(dir, { recursive: true, force: true });
});

/** An app instance on `prefix` with this key ring; SMS messages land in `outbox`. */
function app(prefix: string, encryption: MfaOptions['encryption'], outbox: SmsMessage[] = []): Mfa {
  return createMfa({
    backend: createRedisBackend({ client: redis, prefix, clockSource: 'caller' }),
    encryption,
    hashKey: HASH_KEY,
    issuer: 'Acme',
    clock,
    sms: {
      sender: {
        name: 'outbox',
        async send(message) {
          outbox.push(message);
          return { id: `m${outbox.length}` };
        },
      },
    },
  });
}

const totpAt = (secret: string) =>
  generateTOTP(decodeBase32(secret), { timeInMs: time, periodInSeconds: 30, digits: 6, algorithm: 'SHA1' });

const lastCode = (outbox: SmsMessage[]) => /(\d{6})/.exec(outbox.at(-1)?.body ?? '')?.[1] ?? '';

async function enrolTotp(mfa: Mfa, user: MfaUser): Promise<string> {
  const enrolment = await mfa.totp.beginEnrolment(user);
  const result = await mfa.totp.confirmEnrolment(user, enrolment.sealedSecret, totpAt(enrolment.secret), ctx);
  expect(result.ok).toBe(true);
  return enrolment.secret;
}

function keysFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const ROTATION = JSON.stringify({ currentKeyId: 'k2', keys: { k1: KEY_1, k2: KEY_2 } });

async function sealedValues(prefix: string, userId: string): Promise<string[]> {
  const record = await createRedisBackend({ client: redis, prefix }).store.getRecord(userId);
  return [record?.totp?.sealedSecret, record?.sms?.sealedPhone].filter((v): v is string => v !== undefined);
}

describe('mfa-kit reencrypt', () => {
  it('re-seals 30 users from k1 to k2 with progress on stderr; an app with only k2 then signs everyone in', async () => {
    const prefix = uniquePrefix('cli-reencrypt');
    const before = app(prefix, { keys: { k1: KEY_1 }, currentKeyId: 'k1' }, []);
    const totpUsers = Array.from({ length: 26 }, (_, i) => ({ id: `totp-${i}` }));
    const smsUsers = Array.from({ length: 4 }, (_, i) => ({ id: `sms-${i}`, phone: `+1415555010${i}` }));
    const secrets = new Map<string, string>();
    for (const user of totpUsers) secrets.set(user.id, await enrolTotp(before, user));
    const enrolOutbox: SmsMessage[] = [];
    const smsApp = app(prefix, { keys: { k1: KEY_1 }, currentKeyId: 'k1' }, enrolOutbox);
    for (const user of smsUsers) {
      expect(await smsApp.sms.beginEnrolment(user, user.phone, ctx)).toMatchObject({ ok: true });
      expect((await smsApp.sms.confirmEnrolment(user, lastCode(enrolOutbox), ctx)).ok).toBe(true);
    }
    for (const user of [...totpUsers, ...smsUsers]) {
      for (const sealed of await sealedValues(prefix, user.id)) expect(sealed).toMatch(/^v1\.k1\./);
    }

    const run = await runCli(
      cliPath,
      [
        'reencrypt',
        '--keys-file',
        keysFile('rotation.json', ROTATION),
        '--yes',
        '--prefix',
        prefix,
        '--batch-size',
        '5',
        '--progress-every',
        '10',
      ],
      { env: { REDIS_URL: redisUrl() } },
    );
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const progress = run.stderr.split('\n').filter((line) => line.startsWith('re-encrypted '));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(
      progress.some((line) => /^re-encrypted \d+\/… users \(\d+ re-sealed, 0 failed\)$/.test(line)),
    ).toBe(true);
    expect(progress.at(-1)).toBe('re-encrypted 30/30 users (30 re-sealed, 0 failed)');
    expect(run.stdout).toContain('Re-encrypted under key "k2": 30 users checked, 30 re-sealed, 0 failed.');
    expect(run.stdout).not.toContain(KEY_1);
    expect(run.stderr).not.toContain(KEY_2);

    // The old key is gone from the app: every user still signs in (past the SMS resend cooldown too).
    time += 120_000;
    const outbox: SmsMessage[] = [];
    const after = app(prefix, { keys: { k2: KEY_2 }, currentKeyId: 'k2' }, outbox);
    for (const user of totpUsers) {
      expect((await after.verify(user, 'totp', totpAt(secrets.get(user.id) as string), ctx)).ok).toBe(true);
    }
    for (const user of smsUsers) {
      expect(await after.sms.sendSignInCode(user, ctx)).toMatchObject({
        ok: true,
        maskedPhone: expect.any(String),
      });
      expect(outbox.at(-1)?.to).toBe(user.phone);
      expect((await after.verify(user, 'sms', lastCode(outbox), ctx)).ok).toBe(true);
    }
    for (const user of [...totpUsers, ...smsUsers]) {
      for (const sealed of await sealedValues(prefix, user.id)) expect(sealed).toMatch(/^v1\.k2\./);
    }

    // A second run finds nothing left to do; --json for scripts.
    const again = await runCli(
      cliPath,
      ['reencrypt', '--keys-file', join(dir, 'rotation.json'), '--yes', '--json', '--prefix', prefix],
      { env: { REDIS_URL: redisUrl() } },
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      ok: true,
      action: 'reencrypt',
      currentKeyId: 'k2',
      scanned: 30,
      resealed: 0,
      failed: 0,
      failedUserIds: [],
    });
  });

  it('counts a user sealed under a key missing from the ring as failed, re-seals the rest, and exits 1', async () => {
    const prefix = uniquePrefix('cli-reencrypt-fail');
    const k1 = app(prefix, { keys: { k1: KEY_1 }, currentKeyId: 'k1' });
    const good = [{ id: 'good-1' }, { id: 'good-2' }];
    for (const user of good) await enrolTotp(k1, user);
    await enrolTotp(app(prefix, { keys: { k0: KEY_0 }, currentKeyId: 'k0' }), { id: 'legacy' });
    // The key ring from the environment this time, like a deployment secret.
    const run = await runCli(cliPath, ['reencrypt', '--yes', '--json', '--prefix', prefix], {
      env: { REDIS_URL: redisUrl(), MFA_ENCRYPTION_KEYS: ROTATION },
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      scanned: 3,
      resealed: 2,
      failed: 1,
      failedUserIds: ['legacy'],
    });
    expect(run.stderr).toMatch(/1 user\(s\) could not be re-encrypted.*\[KEY_UNAVAILABLE\]/);
    expect(await sealedValues(prefix, 'legacy')).toEqual([expect.stringMatching(/^v1\.k0\./)]);
    for (const user of good)
      expect(await sealedValues(prefix, user.id)).toEqual([expect.stringMatching(/^v1\.k2\./)]);
  });

  it('refuses without keys, with unreadable keys, and without --yes on a non-terminal: exit 2, nothing changed', async () => {
    const prefix = uniquePrefix('cli-reencrypt-refuse');
    await enrolTotp(app(prefix, { keys: { k1: KEY_1 }, currentKeyId: 'k1' }), { id: 'alice' });
    const env = { REDIS_URL: redisUrl() };

    const noKeys = await runCli(cliPath, ['reencrypt', '--yes', '--prefix', prefix], { env });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(
      /needs the app's encryption keys.*--keys-file PATH or set MFA_ENCRYPTION_KEYS/,
    );

    const noYes = await runCli(
      cliPath,
      ['reencrypt', '--keys-file', keysFile('ok.json', ROTATION), '--prefix', prefix],
      { env },
    );
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/pass --yes/);

    // A broken file never gets echoed: it holds key material.
    const leaky = keysFile('broken.json', `{ "currentKeyId": "k2", "keys": { "k2": "${KEY_2}" `);
    const broken = await runCli(cliPath, ['reencrypt', '--keys-file', leaky, '--yes', '--prefix', prefix], {
      env,
    });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/is not valid JSON/);
    expect(broken.stderr).not.toContain(KEY_2);

    const shortKey = JSON.stringify({ currentKeyId: 'k2', keys: { k2: 'dG9vLXNob3J0' } });
    const weak = await runCli(cliPath, ['reencrypt', '--yes', '--prefix', prefix], {
      env: { ...env, MFA_ENCRYPTION_KEYS: shortKey },
    });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(
      /MFA_ENCRYPTION_KEYS: encryption: key "k2" must decode from base64 to exactly 32 bytes/,
    );

    const missingFile = await runCli(
      cliPath,
      ['reencrypt', '--keys-file', join(dir, 'nope.json'), '--yes', '--prefix', prefix],
      { env },
    );
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/Cannot read --keys-file .*ENOENT/);

    expect(await sealedValues(prefix, 'alice')).toEqual([expect.stringMatching(/^v1\.k1\./)]);
  });

  it('documents itself in --help', async () => {
    const help = await runCli(cliPath, ['reencrypt', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mfa-kit reencrypt');
    expect(help.stdout).toContain('--keys-file PATH');
    expect(help.stdout).toContain('MFA_ENCRYPTION_KEYS');
    const main = await runCli(cliPath, ['--help']);
    expect(main.stdout).toMatch(/^ {2}reencrypt +Re-seal every user/m);
  });
});
