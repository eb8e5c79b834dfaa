/**
 * Guessing with forged passkey assertions, over HTTP against the example app
 * on real Redis (single node and the 3-master Cluster), with real
 * concurrency: 20 forged assertions, each on a live challenge of the pending
 * sign-in, sent at once, are charged as 5 failures and a cooldown (the rest
 * refused unevaluated, one atomic decision each); after the cooldown 5 more
 * reach the 10 consecutive failures that lock the account, and then the real
 * passkey is refused too until an admin unlocks. Without the password there
 * is nothing to guess with: a session with no pending sign-in is refused
 * before anything is counted (no anonymous lockout).
 */
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoftAuthenticator } from '../webauthn/soft-authenticator.js';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';
import { authenticatorFor } from './passkey-http.js';

/** The assertion with its signature's last bytes flipped: well-formed, on a live challenge, and wrong. */
function forged(assertion: Record<string, unknown>): Record<string, unknown> {
  const inner = assertion['response'] as Record<string, string>;
  const signature = Buffer.from(String(inner['signature']), 'base64url');
  const last = signature.length - 1;
  signature[last] = (signature[last] ?? 0) ^ 0xff;
  return { ...assertion, response: { ...inner, signature: signature.toString('base64url') } };
}

for (const cluster of [false, true]) {
  describe(`passkey guessing and the lock (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      // The limiter on the test's clock, so the test can wait out the 5-minute cooldown.
      example = await startExampleOnRedis({ cluster, clockSource: 'caller' });
    });
    afterAll(async () => {
      await example?.close();
    });

    const signIn = (agent: supertest.Agent, response: unknown) =>
      postFrom(example, agent, '/api/mfa/sign-in/webauthn', { response });

    /** `count` live challenges of one pending sign-in, and a forged assertion for each. */
    async function forgedBatch(agent: supertest.Agent, device: SoftAuthenticator, count: number) {
      const batch: Record<string, unknown>[] = [];
      for (let i = 0; i < count; i++) {
        const options = await postFrom(example, agent, '/api/mfa/sign-in/webauthn/options');
        expect(options.status, options.text).toBe(200);
        batch.push(forged(device.assert(options.body.options)));
      }
      return batch;
    }

    it('20 parallel forged assertions: 5 failures and a cooldown; 5 more lock; then even the real passkey is refused', async () => {
      const device = authenticatorFor(example);
      const setup = agentOf(example);
      expect((await login(example, setup, 'bob')).body.status).toBe('signed-in');
      const options = await postFrom(example, setup, '/api/mfa/webauthn/register/options');
      const registered = await postFrom(example, setup, '/api/mfa/webauthn/register/verify', {
        response: device.register(options.body.options),
      });
      expect(registered.status, registered.text).toBe(200);

      // No pending sign-in (no password): refused, nothing counted.
      const anonymous = agentOf(example);
      for (let i = 0; i < 12; i++)
        expect((await signIn(anonymous, forged(device.assert({ challenge: 'AAAA' })))).status).toBe(401);

      const attacker = agentOf(example);
      expect((await login(example, attacker, 'bob')).body.status).toBe('challenge');
      const first = await forgedBatch(attacker, device, 20);
      const answers = await Promise.all(first.map((response) => signIn(attacker, response)));
      const codes = answers.map((a) => `${a.status} ${a.body.error?.code}`);
      expect(codes.filter((c) => c === '401 INVALID_CODE')).toHaveLength(4);
      expect(codes.filter((c) => c === '429 COOLDOWN')).toHaveLength(16);

      example.clock.advance(5 * 60_000 + 1_000);
      const second = await forgedBatch(attacker, device, 5);
      const later: string[] = [];
      for (const response of second) {
        const answer = await signIn(attacker, response);
        later.push(`${answer.status} ${answer.body.error?.code}`);
      }
      expect(later).toEqual([...Array(4).fill('401 INVALID_CODE'), '423 ACCOUNT_LOCKED']);

      // Locked: even the real passkey, in the pending sign-in that is still open, and a new password step.
      const last = await postFrom(example, attacker, '/api/mfa/sign-in/webauthn/options');
      const real = await signIn(attacker, device.assert(last.body.options));
      expect(`${real.status} ${real.body.error?.code}`).toBe('423 ACCOUNT_LOCKED');
      const own = await login(example, agentOf(example), 'bob');
      expect(`${own.status} ${own.body.error?.code}`).toBe('423 ACCOUNT_LOCKED');
    });
  });
}
