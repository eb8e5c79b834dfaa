/**
 * Issue 11: migrating from passport-totp or a hand-rolled otplib set-up.
 * `mfa.maintenance.importTotpSecret` takes the secret the old app stored and
 * the user's existing authenticator entry keeps working, with no code typed
 * at enrolment, the old parameters kept, and the switch-over code not
 * replayable. Run on memory, a single Redis node and a Cluster.
 */
import {
  type Actor,
  type MfaEvent,
  createMemoryBackend,
  createMfa,
  decodeBase32,
  generateTOTP,
} from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import type { Cluster, Redis } from 'ioredis';
import { generateSecret, generateSync } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../harness/index.js';

const START = Date.UTC(2026, 11, 1, 12, 0, 10);
const operator: Actor = { kind: 'cli', id: 'migration-script' };

const clients: Array<Redis | Cluster> = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});

const backends = {
  memory: () => createMemoryBackend(),
  'single node': () => {
    const client = createTestRedis();
    clients.push(client);
    return createRedisBackend({ client, prefix: uniquePrefix('import'), clockSource: 'caller' });
  },
  cluster: () => {
    const client = createTestCluster();
    clients.push(client);
    return createRedisBackend({ client, prefix: uniquePrefix('import'), clockSource: 'caller' });
  },
};

describe.each(Object.entries(backends))('importTotpSecret (%s)', (_name, backend) => {
  function kit() {
    let time = START;
    const store = backend();
    const clock = {
      now: () => time,
      advance: (ms: number) => {
        time += ms;
      },
    };
    const mfa = createMfa({
      backend: store,
      encryption: { keys: { k1: Buffer.alloc(32, 3) }, currentKeyId: 'k1' },
      hashKey: 'import-totp-tests-hash-key-of-at-least-32-bytes',
      issuer: 'Migrated',
      clock,
    });
    const events: MfaEvent[] = [];
    mfa.events.subscribe((event) => events.push(event));
    return { mfa, clock, events, store: store.store };
  }
  const epochOf = (ms: number) => Math.floor(ms / 1000);

  it('an otplib secret keeps working; the switch-over code is not replayable; the secret is sealed at rest', async () => {
    const { mfa, clock, events, store } = kit();
    const user = { id: `otplib-${Math.random()}` };
    const secret = generateSecret(); // what a hand-rolled otplib app stored (base32)
    // The user signed in to the old system a moment ago with this code, and an old verifier with a
    // ±1 window also accepted the next step's code (a phone clock running ahead):
    const justUsed = generateSync({ secret, epoch: epochOf(clock.now()) });
    const aheadUsed = generateSync({ secret, epoch: epochOf(clock.now() + 30_000) });

    const result = await mfa.maintenance.importTotpSecret(operator, user, { secret });
    expect(result).toEqual({ imported: true, usedStep: Math.floor(START / 30_000) + 1 });
    expect(await mfa.status(user)).toMatchObject({ enrolled: true, totp: { enrolledAt: START } });
    expect(events.find((e) => e.type === 'ENROLLED')).toMatchObject({
      details: { factor: 'totp', imported: true },
      actor: operator,
      userId: user.id,
    });
    const stored = await store.getRecord(user.id);
    expect(JSON.stringify(stored)).not.toContain(secret);

    expect(await mfa.verify(user, 'totp', justUsed, {})).toMatchObject({ ok: false, code: 'INVALID_CODE' });
    clock.advance(30_000);
    expect(await mfa.verify(user, 'totp', aheadUsed, {})).toMatchObject({ ok: false, code: 'INVALID_CODE' });
    clock.advance(30_000);
    const next = generateSync({ secret, epoch: epochOf(clock.now()) });
    expect(await mfa.verify(user, 'totp', next, {})).toMatchObject({ ok: true, factor: 'totp' });
  });

  it('a passport-totp key (raw bytes, SHA-256, 8 digits, 60 s) keeps the old parameters', async () => {
    const { mfa, clock } = kit();
    const user = { id: `passport-totp-${Math.random()}` };
    const key = Buffer.from('0123456789abcdefghij', 'utf8'); // passport-totp stores the key itself
    await mfa.maintenance.importTotpSecret(operator, user, {
      secret: key,
      algorithm: 'SHA256',
      digits: 8,
      periodInSeconds: 60,
    });
    clock.advance(120_000);
    const code = generateSync({
      secret: 'GAYTEMZUGU3DOOBZMFRGGZDFMZTWQ2LK', // base32 of the same 20 bytes
      algorithm: 'sha256',
      digits: 8,
      period: 60,
      epoch: epochOf(clock.now()),
    });
    expect(code).toHaveLength(8);
    expect(await mfa.verify(user, 'totp', code, {})).toMatchObject({ ok: true });
  });

  it('refuses short secrets unless allowShortSecret, bad input with VALIDATION, and never replaces a factor', async () => {
    const { mfa, clock } = kit();
    const user = { id: `short-${Math.random()}` };
    const tenBytes = 'JBSWY3DPEHPK3PXP'; // 80 bits, otplib 12's default length
    await expect(
      mfa.maintenance.importTotpSecret(operator, user, { secret: tenBytes }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fields: { secret: expect.stringContaining('allowShortSecret') } },
    });
    await expect(
      mfa.maintenance.importTotpSecret(operator, user, { secret: 'not base32!' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      mfa.maintenance.importTotpSecret(operator, user, { secret: generateSecret(), digits: 7 as 6 }),
    ).rejects.toMatchObject({ code: 'VALIDATION', details: { fields: { digits: expect.any(String) } } });
    expect((await mfa.status(user)).enrolled).toBe(false);

    await mfa.maintenance.importTotpSecret(operator, user, { secret: tenBytes, allowShortSecret: true });
    await expect(
      mfa.maintenance.importTotpSecret(operator, user, { secret: generateSecret() }),
    ).rejects.toMatchObject({ code: 'ALREADY_ENROLLED' });
    clock.advance(60_000);
    // otplib 13 refuses 80-bit keys itself; the old app's otplib 12 computed this code:
    const code = generateTOTP(decodeBase32(tenBytes), {
      timeInMs: clock.now(),
      periodInSeconds: 30,
      digits: 6,
      algorithm: 'SHA1',
    });
    expect(await mfa.verify(user, 'totp', code, {})).toMatchObject({ ok: true });
  });

  it('parallel imports (a migration run twice at once) enrol one secret, and only the one that answered imported works', async () => {
    const { mfa, clock, events } = kit();
    const user = { id: `race-${Math.random()}` };
    const secrets = Array.from({ length: 8 }, () => generateSecret());
    const settled = await Promise.allSettled(
      secrets.map((secret) => mfa.maintenance.importTotpSecret(operator, user, { secret })),
    );
    const imported = settled.flatMap((answer, index) =>
      answer.status === 'fulfilled' ? [secrets[index]] : [],
    );
    expect(imported).toHaveLength(1);
    for (const answer of settled) {
      if (answer.status === 'rejected') expect(answer.reason).toMatchObject({ code: 'ALREADY_ENROLLED' });
    }
    expect(events.filter((event) => event.type === 'ENROLLED')).toHaveLength(1);
    clock.advance(60_000);
    const code = generateSync({ secret: imported[0] as string, epoch: epochOf(clock.now()) });
    expect(await mfa.verify(user, 'totp', code, {})).toMatchObject({ ok: true });
  });

  it('an import racing a self-service enrolment never replaces the factor the user just confirmed', async () => {
    const { mfa, clock } = kit();
    const user = { id: `race-enrol-${Math.random()}` };
    const started = await mfa.totp.beginEnrolment(user);
    clock.advance(30_000);
    const confirmCode = generateSync({ secret: started.secret, epoch: epochOf(clock.now()) });
    const [confirmed, imported] = await Promise.allSettled([
      mfa.totp.confirmEnrolment(user, started.sealedSecret, confirmCode, {}),
      mfa.maintenance.importTotpSecret(operator, user, { secret: generateSecret() }),
    ]);
    // Exactly one of them enrolled; the other was refused with ALREADY_ENROLLED.
    const confirmWon = confirmed.status === 'fulfilled' && confirmed.value.ok === true;
    const importWon = imported.status === 'fulfilled';
    expect(confirmWon !== importWon).toBe(true);
    if (confirmWon) {
      expect(imported).toMatchObject({ status: 'rejected', reason: { code: 'ALREADY_ENROLLED' } });
      clock.advance(30_000);
      const next = generateSync({ secret: started.secret, epoch: epochOf(clock.now()) });
      expect(await mfa.verify(user, 'totp', next, {})).toMatchObject({ ok: true });
    }
  });
});
