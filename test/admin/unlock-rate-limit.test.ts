// Issue 6: "Requests for unlock instructions are rate limited and never reveal
// whether an account exists or is locked." Attacked the way an attacker would:
// spraying identifiers from one address to make the app look users up (and
// to learn which exist), against real Redis.
import { randomBytes } from 'node:crypto';
import { type Mfa, type MfaUser, createMfa } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { UNLOCK_REQUEST_ACCEPTED, createUnlockRouter } from '@mfa-kit/express';
import express from 'express';
import type { Redis } from 'ioredis';
import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestRedis, uniquePrefix } from '../harness/index.js';

const ORIGIN = 'https://app.example.test';
const ATTACKER_IP = '203.0.113.66';
const locked: MfaUser = { id: 'locked-user', orgId: 'org-a', roles: ['staff'] };
const fine: MfaUser = { id: 'fine-user', orgId: 'org-a', roles: ['staff'] };
const directory = new Map([
  ['locked@example.test', locked],
  ['fine@example.test', fine],
]);

let redis: Redis;
let nowMs = Date.UTC(2026, 2, 1, 9, 0, 0);
let mfa: Mfa;
let app: express.Express;
/** Identifiers the app looked up, in order: each is a hit on the app's user database. */
let lookups: string[] = [];
let mails: Array<{ userId: string }> = [];
/** Background unlock requests the router started; awaited before counting lookups and mails. */
let pending: Array<Promise<void>> = [];

/** A fresh instance (own prefix, so own counters) per test. */
function build(): void {
  mfa = createMfa({
    backend: createRedisBackend({
      client: redis,
      prefix: uniquePrefix('unlock-rate'),
      clockSource: 'caller',
    }),
    encryption: { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' },
    hashKey: randomBytes(32),
    issuer: 'Unlock Rate Test',
    clock: { now: () => nowMs },
    policy: { allowSelfUnlock: true },
    // Locked by failed sign-ins: the password step counting toward the lock is an opt-in (issue 10).
    limits: { lock: { maxConsecutiveFailures: 3 }, password: { countsTowardLock: true } },
    unlock: { delivery: { deliver: async (message) => void mails.push(message) } },
  });
  // The router answers before the work runs (on purpose); this wrapper only
  // lets the test wait for that work, it changes nothing it does.
  const observed: Mfa = {
    ...mfa,
    unlock: {
      ...mfa.unlock,
      request(user, ctx) {
        const run = mfa.unlock.request(user, ctx);
        pending.push(run);
        return run;
      },
    },
  };
  app = express();
  app.set('trust proxy', true);
  app.use(
    '/account',
    createUnlockRouter({
      mfa: observed,
      allowedOrigins: [ORIGIN],
      findUserByIdentifier: async (identifier) => {
        lookups.push(identifier);
        return directory.get(identifier) ?? null;
      },
    }),
  );
}

async function lockByPasswordFailures(user: MfaUser): Promise<void> {
  for (let i = 0; i < 3; i++) await mfa.password.report(user, false, { ip: '198.51.100.1' });
  expect((await mfa.status(user)).limiter.locked).toBe(true);
}

const request = (ip: string, identifier: string) =>
  supertest(app)
    .post('/account/unlock/request')
    .set('Origin', ORIGIN)
    .set('X-Forwarded-For', ip)
    .send({ identifier });

async function settled(): Promise<void> {
  await Promise.all(pending);
}

/** What a client can observe of an answer: status, body, and which headers it has. */
function observable(res: supertest.Response) {
  return { status: res.status, body: res.body, headers: Object.keys(res.headers).sort() };
}

beforeAll(() => {
  redis = createTestRedis();
});

afterAll(async () => {
  await redis?.quit();
});

beforeEach(async () => {
  lookups = [];
  mails = [];
  pending = [];
  build();
  await lockByPasswordFailures(locked);
});

describe('POST /unlock/request per-IP limit', () => {
  it('an identifier spray from one IP costs at most 10 lookups; every answer is the same 202', async () => {
    const answers = [];
    for (let i = 0; i < 25; i++) {
      answers.push(await request(ATTACKER_IP, `guess-${i}@example.test`));
    }
    await settled();
    expect(lookups).toHaveLength(10);
    expect(lookups).toEqual(Array.from({ length: 10 }, (_, i) => `guess-${i}@example.test`));
    for (const res of answers) {
      expect(res.status).toBe(202);
      expect(res.body).toEqual(UNLOCK_REQUEST_ACCEPTED);
    }
  });

  it('over the limit, a locked, an unlocked and a missing account get identical answers and no lookup', async () => {
    for (let i = 0; i < 10; i++) await request(ATTACKER_IP, `guess-${i}@example.test`);
    await settled();
    const over = [
      await request(ATTACKER_IP, 'locked@example.test'),
      await request(ATTACKER_IP, 'fine@example.test'),
      await request(ATTACKER_IP, 'nobody@example.test'),
    ];
    // The same three from a fresh address, under the limit.
    const under = [
      await request('192.0.2.20', 'locked@example.test'),
      await request('192.0.2.21', 'fine@example.test'),
      await request('192.0.2.22', 'nobody@example.test'),
    ];
    await settled();
    const reference = observable(over[0] as supertest.Response);
    for (const res of [...over, ...under]) expect(observable(res)).toEqual(reference);
    // None of the over-limit identifiers reached the app's user database…
    expect(lookups.slice(10)).toEqual(['locked@example.test', 'fine@example.test', 'nobody@example.test']);
    // …and only the under-limit request for the locked account sent mail.
    expect(mails.map((m) => m.userId)).toEqual([locked.id]);
  });

  it('the budget counts requests for real accounts too, and comes back after the hour', async () => {
    // Ten requests naming a real, unlocked account use up the address's budget…
    for (let i = 0; i < 10; i++) await request(ATTACKER_IP, 'fine@example.test');
    await request(ATTACKER_IP, 'locked@example.test');
    await settled();
    expect(lookups).toHaveLength(10);
    expect(mails).toHaveLength(0);
    // …another address is unaffected…
    await request('192.0.2.30', 'locked@example.test');
    await settled();
    expect(mails.map((m) => m.userId)).toEqual([locked.id]);
    // …and the window is an hour.
    nowMs += 3_600_000;
    await request(ATTACKER_IP, 'nobody@example.test');
    await settled();
    expect(lookups.at(-1)).toBe('nobody@example.test');
    expect(lookups).toHaveLength(12);
  });

  it('30 parallel requests from one IP run exactly 10 lookups (one atomic counter in Redis)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => request(ATTACKER_IP, `parallel-${i}@example.test`)),
    );
    await settled();
    expect(answers.every((res) => res.status === 202)).toBe(true);
    expect(lookups).toHaveLength(10);
  });
});
