/**
 * Issue 10: anyone who knew a username could lock that account for good
 * (5 wrong passwords, a 5-minute cooldown, 5 more → 423 forever), and the
 * answers told which usernames exist (401,401,401,401,429 for a user, 401
 * forever for an unknown name). Replayed as an anonymous attacker would,
 * over HTTP against the example app on Redis (single node and Cluster): the
 * attacker knows usernames only, never a password.
 *
 * The limiter judges time by the test's clock here (`clockSource: 'caller'`)
 * so a day can be simulated; Redis TIME is covered by clock-skew.test.ts.
 */
import type { Cluster, Redis } from 'ioredis';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis } from '../harness/index.js';
import { type ExampleOnRedis, PASSWORD, agentOf, startExampleOnRedis } from './example-on-redis.js';
import { createTestApp } from './test-app.js';

const DAY_MS = 24 * 60 * 60_000;

/** One sign-in attempt from a fresh client; what the attacker sees. */
async function attempt(example: ExampleOnRedis, username: string, password = 'not-the-password') {
  const response = await agentOf(example)
    .post('/api/login')
    .set('Origin', example.baseUrl)
    .send({ username, password });
  return {
    status: response.status,
    code: (response.body.error?.code as string | undefined) ?? response.body.status,
    retryAfter: response.body.error?.retryAfter as number | undefined,
  };
}

describe.each([
  ['single node', createTestRedis],
  ['cluster', createTestCluster],
] as const)('lockout abuse over HTTP on the example app (%s)', (_name, connect) => {
  let client: Redis | Cluster;
  let example: ExampleOnRedis;
  beforeAll(async () => {
    client = connect();
    example = await startExampleOnRedis({ client, clockSource: 'caller' });
  });
  afterAll(async () => {
    await example.close();
    await client.quit();
  });

  it('1,000 wrong passwords spread over a day never lock the account; the user signs in when the cooldown ends', async () => {
    const seen = new Map<string, number>();
    let longest = 0;
    let last = await attempt(example, 'bob');
    for (let i = 1; i < 1000; i++) {
      example.clock.advance(DAY_MS / 1000);
      last = await attempt(example, 'bob');
      seen.set(`${last.status} ${last.code}`, (seen.get(`${last.status} ${last.code}`) ?? 0) + 1);
      longest = Math.max(longest, last.retryAfter ?? 0);
    }
    // Only wrong-password answers and cooldowns; never a lock.
    expect([...seen.keys()].sort()).toEqual(['401 UNAUTHENTICATED', '429 COOLDOWN']);
    // Cooldowns grow (5, 15, 45 min) to a cap of one hour.
    expect(longest).toBe(3600);
    const status = await example.mfa.status({ id: 'u2', orgId: 'acme', roles: ['user'] });
    expect(status.limiter.locked).toBe(false);

    // The real user, whenever the cooldown is over, signs in with the password.
    example.clock.advance(60 * 60_000);
    const agent = agentOf(example);
    const signedIn = await agent.post('/api/login').set('Origin', example.baseUrl).send({
      username: 'bob',
      password: PASSWORD,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.status).toBe('signed-in');
  });

  it('unknown usernames, known ones and locked ones give identical status sequences and retryAfter', async () => {
    // carol is locked by an admin: a wrong password must not reveal that either.
    await example.mfa.admin.lock({ kind: 'admin', id: 'u7' }, { id: 'u3', orgId: 'globex', roles: ['user'] });
    const sequences: Record<string, string[]> = { frank: [], carol: [], 'no-such-user@acme.test': [] };
    for (let i = 0; i < 12; i++) {
      for (const username of Object.keys(sequences)) {
        const answer = await attempt(example, username);
        sequences[username]?.push(`${answer.status} ${answer.code} ${answer.retryAfter ?? '-'}`);
      }
      // Spread the attempts so the first cooldown ends in between.
      if (i === 6) example.clock.advance(5 * 60_000);
    }
    expect(sequences['no-such-user@acme.test']).toEqual(sequences['frank']);
    expect(sequences['carol']).toEqual(sequences['frank']);
    expect(sequences['frank']?.slice(0, 5)).toEqual([
      '401 UNAUTHENTICATED -',
      '401 UNAUTHENTICATED -',
      '401 UNAUTHENTICATED -',
      '401 UNAUTHENTICATED -',
      '429 COOLDOWN 300',
    ]);
    // Only the right password reveals carol's lock.
    example.clock.advance(60 * 60_000);
    expect(await attempt(example, 'carol', PASSWORD)).toMatchObject({ status: 423, code: 'ACCOUNT_LOCKED' });
  });
});

describe('a findUser that returns undefined (Map.get) means "no such user"', () => {
  it('answers the same 401 as a wrong password, and counts it like one', async () => {
    const t = createTestApp();
    try {
      t.app.post(
        '/login-map',
        t.kit.passwordGuard({
          findUser: (req) => t.users.get((req.body as { username: string }).username),
        }),
        t.kit.startSignIn(),
      );
      const post = (username: string) =>
        supertest(t.app)
          .post('/login-map')
          .set('Origin', 'http://app.test')
          .send({ username, password: 'wrong' });
      const unknown = [];
      const known = [];
      for (let i = 0; i < 6; i++) {
        unknown.push(await post('nobody'));
        known.push(await post('alice'));
      }
      expect(unknown.map((r) => [r.status, r.body])).toEqual(known.map((r) => [r.status, r.body]));
      expect(unknown[0]?.status).toBe(401);
      expect(unknown[4]?.status).toBe(429);
    } finally {
      await t.close();
    }
  });
});
