/**
 * Issue 10: the per-address budget was read before the decision and charged
 * after it, so N parallel wrong codes from one address were all evaluated;
 * and an address over it was refused everything for a day, bystanders
 * included (users who need no second factor, the password step of others).
 *
 * Replayed over HTTP on Redis (single node and Cluster) with the production
 * clock (Redis TIME): an attacker who holds 200 users' passwords sprays one
 * wrong TOTP code at each of them at once from one address.
 */
import { generateTOTP, decodeBase32 } from '@mfa-kit/core';
import type { Cluster, Redis } from 'ioredis';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis } from '../harness/index.js';
import { type TestApp, createTestApp, login, post, totp, wrongTotp } from './test-app.js';

const USERS = 200;
const BUDGET = 30;

describe.each([
  ['single node', createTestRedis],
  ['cluster', createTestCluster],
] as const)('second-factor spray from one address (%s)', (_name, connect) => {
  let client: Redis | Cluster;
  let t: TestApp<Redis | Cluster>;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    client = connect();
    t = createTestApp({ client, clockSource: 'redis', limits: { addressBudget: { maxFailures: BUDGET } } });
    // 200 enrolled users whose passwords the attacker holds (enrolled through core: the attack is what matters).
    for (let i = 0; i < USERS; i++) {
      const id = `spray-${i}`;
      t.users.set(id, { id, password: `${id}-pw`, roles: ['user'], orgId: 'org-1' });
      const user = { id, roles: ['user'], orgId: 'org-1' };
      const enrolment = await t.mfa.totp.beginEnrolment(user);
      const code = generateTOTP(decodeBase32(enrolment.secret), {
        timeInMs: t.clock.now(),
        periodInSeconds: 30,
        digits: 6,
        algorithm: 'SHA1',
      });
      const confirmed = await t.mfa.totp.confirmEnrolment(user, enrolment.sealedSecret, code, {});
      if (!confirmed.ok) throw new Error(`enrolment of ${id} failed`);
      secrets.set(id, enrolment.secret);
    }
    t.clock.advance(30_000);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await client.quit();
  });

  it('200 parallel wrong codes at 200 users evaluate exactly the budget; bystanders still sign in; admins clear it', async () => {
    // Password step for each victim (one address: every request comes from 127.0.0.1).
    const agents = [];
    for (let i = 0; i < USERS; i++) {
      const agent = supertest.agent(t.app);
      const started = await login(t, agent, `spray-${i}`);
      expect(started.body.status).toBe('challenge');
      agents.push(agent);
    }
    const failedBefore = t.events.filter((e) => e.type === 'VERIFICATION_FAILED').length;
    const answers = await Promise.all(
      agents.map((agent, i) =>
        post(agent, '/mfa/sign-in/totp', { code: wrongTotp(secrets.get(`spray-${i}`) ?? '', t.clock.now()) }),
      ),
    );
    const evaluated = answers.filter((r) => r.body.error?.code === 'INVALID_CODE');
    const refused = answers.filter((r) => r.status === 429 && r.body.error?.code === 'COOLDOWN');
    expect(evaluated).toHaveLength(BUDGET);
    expect(refused).toHaveLength(USERS - BUDGET);
    // The refusal ends by itself (sliding window), within the window.
    expect(refused.every((r) => r.body.error.retryAfter > 0 && r.body.error.retryAfter <= 3600)).toBe(true);
    expect(t.events.filter((e) => e.type === 'VERIFICATION_FAILED').length - failedBefore).toBe(BUDGET);
    expect(t.events.some((e) => e.type === 'IP_BLOCKED')).toBe(true);

    // A bystander who needs no second factor signs in from the same address.
    const bystander = supertest.agent(t.app);
    expect((await login(t, bystander, 'dave')).body.status).toBe('signed-in');
    expect((await bystander.get('/private')).status).toBe(200);

    // The password step of a targeted user is not refused either; the code is: nothing more is evaluated,
    // not even a correct one, and the user's own counters are untouched.
    const victim = supertest.agent(t.app);
    expect((await login(t, victim, 'spray-0')).body.status).toBe('challenge');
    const failuresBefore = (await t.mfa.status({ id: 'spray-0' })).limiter.families.totp?.failures ?? 0;
    const right = await post(victim, '/mfa/sign-in/totp', {
      code: totp(secrets.get('spray-0') ?? '', t.clock.now()),
    });
    expect(right.status).toBe(429);
    expect((await t.mfa.status({ id: 'spray-0' })).limiter.families.totp?.failures ?? 0).toBe(failuresBefore);
    expect(t.events.filter((e) => e.type === 'VERIFICATION_FAILED').length - failedBefore).toBe(BUDGET);

    // An admin clears the address; the victim then signs in with the right code.
    await t.mfa.admin.clearAddress({ kind: 'admin', id: 'bob' }, '127.0.0.1', { reason: 'office NAT' });
    const after = await post(victim, '/mfa/sign-in/totp', {
      code: totp(secrets.get('spray-0') ?? '', t.clock.now()),
    });
    expect(after.status).toBe(200);
    expect(t.events.filter((e) => e.type === 'ADMIN_ADDRESS_CLEARED')).toHaveLength(1);
  }, 120_000);
});
