/**
 * A registration challenge serves one verification, over HTTP against the
 * example app on real Redis (single node and the 3-master Cluster), with a
 * software authenticator and the real `@simplewebauthn/server` checks:
 * - an attestation the server refused spends its challenge: the same
 *   challenge then registers nothing, not even with a valid attestation (it
 *   used to stay usable until it expired, so a session could try attestation
 *   after attestation on one challenge);
 * - one attestation posted 20 times in parallel registers one credential;
 * - refused and valid attestations of one challenge raced in parallel
 *   register at most one credential.
 */
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';
import { authenticatorFor } from './passkey-http.js';

/** A signed-in session of `username` (optional MFA, no factor yet: its password step is fresh proof) and registration options. */
async function registering(example: ExampleOnRedis, username: string) {
  const agent = agentOf(example);
  expect((await login(example, agent, username)).body.status).toBe('signed-in');
  const options = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
  expect(options.status, options.text).toBe(200);
  return { agent, options: options.body.options as { challenge: string } };
}

/** The same attestation with its attestation object broken: the server refuses it, claiming the same challenge. */
function broken(response: Record<string, unknown>): Record<string, unknown> {
  const inner = response['response'] as Record<string, unknown>;
  return { ...response, response: { ...inner, attestationObject: 'oWNmbXRkbm9uZQ' } };
}

const verify = (example: ExampleOnRedis, agent: supertest.Agent, response: unknown) =>
  postFrom(example, agent, '/api/mfa/webauthn/register/verify', { response });

async function credentialsOf(agent: supertest.Agent): Promise<unknown[]> {
  const listed = await agent.get('/api/mfa/webauthn/credentials');
  expect(listed.status, listed.text).toBe(200);
  return listed.body.credentials;
}

for (const cluster of [false, true]) {
  describe(`registration challenge replay over HTTP (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
    });
    afterAll(async () => {
      await example?.close();
    });

    it('a refused attestation spends its challenge: a valid attestation of the same challenge is then refused', async () => {
      const device = authenticatorFor(example);
      const { agent, options } = await registering(example, 'bob');
      const valid = device.register(options);
      const refused = await verify(example, agent, broken(valid));
      expect(refused.status, refused.text).toBe(401);
      expect(refused.body.error.code).toBe('INVALID_CODE');
      const after = await verify(example, agent, valid);
      expect(after.status, after.text).toBe(401);
      expect(after.body.error.code).toBe('INVALID_CODE');
      expect(after.body.error.message).toMatch(/expired or was already used/);
      expect(await credentialsOf(agent)).toEqual([]);
      // A new challenge registers as usual.
      const again = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
      const fresh = await verify(example, agent, device.register(again.body.options));
      expect(fresh.status, fresh.text).toBe(200);
      expect(await credentialsOf(agent)).toHaveLength(1);
    });

    it('one attestation posted 20 times in parallel registers exactly one credential', async () => {
      const device = authenticatorFor(example);
      const { agent, options } = await registering(example, 'frank');
      const valid = device.register(options);
      const answers = await Promise.all(Array.from({ length: 20 }, () => verify(example, agent, valid)));
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      // The others: the spent challenge (401 INVALID_CODE), or, once the winner signed the session in
      // again under a new id with a factor, no fresh proof (403) or no session (401).
      expect(answers.filter((a) => a.status === 401 || a.status === 403)).toHaveLength(19);
      expect(await credentialsOf(agent)).toHaveLength(1);
    });

    it('refused and valid attestations of one challenge raced in parallel register at most one credential', async () => {
      const device = authenticatorFor(example);
      const { agent, options } = await registering(example, 'carol');
      const valid = device.register(options);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => verify(example, agent, i % 2 === 0 ? broken(valid) : valid)),
      );
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      const accepted = answers.filter((a) => a.status === 200).length;
      expect(accepted).toBeLessThanOrEqual(1);
      expect(answers.filter((a) => a.status === 401 || a.status === 403)).toHaveLength(20 - accepted);
      expect(await credentialsOf(agent)).toHaveLength(accepted);
    });
  });
}
