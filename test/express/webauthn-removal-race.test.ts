import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';
import { addPasskey, authenticatorFor, pendingWithOptions } from './passkey-http.js';

const ROUNDS = 8;

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
      const device = authenticatorFor(example);
      // A first passkey, then a session signed in with it: its fresh proof adds and removes passkeys.
      const first = agentOf(example);
      expect((await login(example, first, 'carol')).body.status).toBe('signed-in');
      await addPasskey(example, first, device);
      const signIn = await pendingWithOptions(example, 'carol');
      const signedIn = await postFrom(example, signIn.agent, '/api/mfa/sign-in/webauthn', {
        response: device.assert(signIn.options),
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      const remover = signIn.agent;
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const id = await addPasskey(example, remover, device);
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
