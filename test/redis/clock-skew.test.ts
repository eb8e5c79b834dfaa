/**
 * Issue 10: each app server's clock drove the limiter. After server A started
 * a 5-minute cooldown, server B with a clock 5 minutes ahead evaluated the
 * next guess at once, and a server 24 h ahead wiped the failure count.
 *
 * Replayed with two (three) `createMfa` instances whose clocks differ, sharing
 * one Redis (single node and Cluster) with the default clock (Redis TIME):
 * the attacker sends each guess to whichever server lets it through.
 */
import { type Clock, type Mfa, createMfa, decodeBase32, generateTOTP } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../harness/index.js';

const MINUTE = 60_000;
const HASH_KEY = 'clock-skew-tests-hash-key-of-at-least-32-bytes';

function codeAt(secret: string, timeInMs: number): string {
  return generateTOTP(decodeBase32(secret), { timeInMs, periodInSeconds: 30, digits: 6, algorithm: 'SHA1' });
}

describe.each([
  ['single node', createTestRedis],
  ['cluster', createTestCluster],
] as const)('app servers with skewed clocks share one limiter (%s)', (_name, connect) => {
  let client: Redis | Cluster;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await client.quit();
  });

  /** Servers on one Redis prefix, each with its own clock `offsetMs` away from real time. */
  function servers(...offsets: number[]): Array<{ mfa: Mfa; clock: Clock }> {
    const prefix = uniquePrefix('skew');
    return offsets.map((offset) => {
      const clock = { now: () => Date.now() + offset };
      const mfa = createMfa({
        backend: createRedisBackend({ client, prefix }),
        encryption: { keys: { k1: Buffer.alloc(32, 5) }, currentKeyId: 'k1' },
        hashKey: HASH_KEY,
        issuer: 'Skew',
        clock,
      });
      return { mfa, clock };
    });
  }

  async function enrol(server: { mfa: Mfa; clock: Clock }, user: { id: string }): Promise<string> {
    const enrolment = await server.mfa.totp.beginEnrolment(user);
    const result = await server.mfa.totp.confirmEnrolment(
      user,
      enrolment.sealedSecret,
      codeAt(enrolment.secret, server.clock.now()),
      {},
    );
    if (!result.ok) throw new Error('enrolment failed');
    return enrolment.secret;
  }

  it('a cooldown started on server A holds on server B whose clock is 10 minutes ahead', async () => {
    const [a, b] = servers(0, 10 * MINUTE) as [{ mfa: Mfa; clock: Clock }, { mfa: Mfa; clock: Clock }];
    const user = { id: 'skew-cooldown' };
    const secret = await enrol(a, user);
    let last = await a.mfa.verify(user, 'totp', '000000', {});
    for (let i = 1; i < 5; i++) last = await a.mfa.verify(user, 'totp', '000000', {});
    expect(last).toEqual({ ok: false, code: 'COOLDOWN', retryAfterMs: 300_000 });
    // B's clock says the cooldown is over; Redis's says it is not. Even B's own right code is refused.
    const onB = await b.mfa.verify(user, 'totp', codeAt(secret, b.clock.now()), {});
    expect(onB).toMatchObject({ ok: false, code: 'COOLDOWN' });
    const retryAfterMs = onB.ok || onB.code !== 'COOLDOWN' ? 0 : onB.retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(290_000);
    expect(retryAfterMs).toBeLessThanOrEqual(300_000);
    // Status views agree too: B reports the cooldown, in its own clock, about 5 minutes from its now.
    const cooldownUntil = (await b.mfa.status(user)).limiter.families.totp?.cooldownUntil ?? 0;
    expect(cooldownUntil - b.clock.now()).toBeGreaterThan(290_000);
  });

  it('a server whose clock is 24 hours ahead does not wipe the failure count', async () => {
    const [a, c] = servers(0, 24 * 60 * MINUTE) as [{ mfa: Mfa; clock: Clock }, { mfa: Mfa; clock: Clock }];
    const user = { id: 'skew-forget' };
    await enrol(a, user);
    for (let i = 0; i < 4; i++) await a.mfa.verify(user, 'totp', '000000', {});
    // The fifth guess goes to C: still the fifth failure, so the cooldown starts.
    expect(await c.mfa.verify(user, 'totp', '000000', {})).toEqual({
      ok: false,
      code: 'COOLDOWN',
      retryAfterMs: 300_000,
    });
    expect((await c.mfa.status(user)).limiter.consecutiveFailures).toBe(5);
  });

  it('an SMS resend cooldown and the address budget hold across servers whose clocks differ', async () => {
    const prefix = uniquePrefix('skew-counters');
    const a = createRedisBackend({ client, prefix }).counters;
    const b = createRedisBackend({ client, prefix }).counters;
    const now = Date.now();
    const ahead = now + 10 * MINUTE;
    // The 60-second resend cooldown started by A is still running for B, 10 minutes ahead.
    expect((await a.consume('sms-resend:u', { limit: 1, windowMs: 60_000 }, now)).allowed).toBe(true);
    const onB = await b.consume('sms-resend:u', { limit: 1, windowMs: 60_000 }, ahead);
    expect(onB.allowed).toBe(false);
    expect(onB.retryAfterMs).toBeGreaterThan(50_000);
    // A sliding budget filled by A is full for B too.
    expect((await a.reserve('addr:203.0.113.9', { limit: 1, windowMs: 60_000 }, now)).allowed).toBe(true);
    expect((await b.reserve('addr:203.0.113.9', { limit: 1, windowMs: 60_000 }, ahead)).allowed).toBe(false);
  });
});
