/**
 * A passkey removed while someone signs in with it, over HTTP against the
 * example app on real Redis (single node and the 3-master Cluster), with
 * real concurrency: the removal and the sign-in are sent together, round
 * after round. Whichever lands first, the pending sign-in never ends up
 * signed in: either its assertion names a credential the attempt script no
 * longer finds, or it signed in under the epoch the removal then moved, and
 * the session store refuses that session at its next load. The removing
 * session stays signed in (under the new epoch, with a new id).
 */
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftAuthenticator } from '../webauthn/soft-authenticator.js';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';

const ROUNDS = 8;

async function pendingWithOptions(example: ExampleOnRedis, username: string) {
  const agent = agentOf(example);
  expect((await login(example, agent, username)).body.status).toBe('challenge');
  const options = await postFrom(example, agent, '/api/mfa/sign-in/webauthn/options');
  expect(options.status, options.text).toBe(200);
  return { agent, options: options.body.options as { challenge: string } };
}

async function register(example: ExampleOnRedis, agent: supertest.Agent, device: SoftAuthenticator) {
  const options = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
  expect(options.status, options.text).toBe(200);
  const verify = await postFrom(example, agent, '/api/mfa/webauthn/register/verify', {
    response: device.register(options.body.options),
  });
  expect(verify.status, verify.text).toBe(200);
  return verify.body.credential.id as string;
}

for (const cluster of [false, true]) {
  describe(`passkey removal racing a sign-in with it (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
    });
    afterAll(async () => {
      await example?.close();
    });

    it(`${ROUNDS} rounds: the sign-in with the passkey being removed never leaves a signed-in session`, async () => {
      const device = new SoftAuthenticator('localhost', example.baseUrl.replace('127.0.0.1', 'localhost'));
      // A first passkey, then a session signed in with it: its fresh proof adds and removes passkeys.
      const first = agentOf(example);
      expect((await login(example, first, 'carol')).body.status).toBe('signed-in');
      await register(example, first, device);
      const signIn = await pendingWithOptions(example, 'carol');
      const signedIn = await postFrom(example, signIn.agent, '/api/mfa/sign-in/webauthn', {
        response: device.assert(signIn.options),
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      const remover = signIn.agent;
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const id = await register(example, remover, device);
        const credential = device.credentials.at(-1);
        const pending = await pendingWithOptions(example, 'carol');
        const assertion = device.assert(pending.options, { credential });
        // Both in flight at once; the removal leaves a little later in later rounds, so both orders occur.
        const [attempt, removed] = await Promise.all([
          postFrom(example, pending.agent, '/api/mfa/sign-in/webauthn', { response: assertion }),
          new Promise((resolve) => setTimeout(resolve, round * 4)).then(() =>
            remover.delete(`/api/mfa/webauthn/credentials/${id}`).set('Origin', example.baseUrl),
          ),
        ]);
        expect(removed.status, removed.text).toBe(200);
        expect([200, 401], attempt.text).toContain(attempt.status);
        outcomes.push(attempt.status === 200 ? 'signed in, then revoked' : 'refused');
        expect((await pending.agent.get('/api/mfa/status')).status, `round ${round}`).toBe(401);
        expect((await remover.get('/api/mfa/status')).status, `round ${round}`).toBe(200);
        // A refused round counts as a failed passkey: keep the next rounds clear of the cooldown.
        await example.mfa.admin.resetCooldowns(
          { kind: 'system', id: 'test' },
          { id: 'u3' },
          { which: 'all' },
        );
      }
      expect(outcomes).toHaveLength(ROUNDS);
    });
  });
}
