/**
 * Passkeys attacked over HTTP against the example app on real Redis (single
 * node and the 3-master Cluster), with a software authenticator and the real
 * `@simplewebauthn/server` checks: an assertion made for one pending sign-in's
 * challenge presented by another, one assertion submitted many times in
 * parallel, a replay after success, a cloned credential's counter going back,
 * and malformed input (400, never 500).
 */
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftAuthenticator } from '../webauthn/soft-authenticator.js';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';
import { authenticatorFor, pendingWithOptions } from './passkey-http.js';

/** Signs `username` in with the password (no MFA yet) and registers a passkey of `device`. */
async function registerPasskey(example: ExampleOnRedis, username: string, device: SoftAuthenticator) {
  const agent = agentOf(example);
  // Optional MFA (signed in at once) or a role that requires it (forced enrolment): both may register.
  expect(['signed-in', 'enrol']).toContain((await login(example, agent, username)).body.status);
  const options = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
  expect(options.status, options.text).toBe(200);
  const verify = await postFrom(example, agent, '/api/mfa/webauthn/register/verify', {
    response: device.register(options.body.options),
    name: 'Soft key',
  });
  expect(verify.status, verify.text).toBe(200);
}

const signIn = (example: ExampleOnRedis, agent: supertest.Agent, response: unknown) =>
  postFrom(example, agent, '/api/mfa/sign-in/webauthn', { response });

async function events(example: ExampleOnRedis, type: 'WEBAUTHN_COUNTER_REGRESSION') {
  return (await example.mfa.events.query({ types: [type] })).events;
}

for (const cluster of [false, true]) {
  describe(`passkey attacks over HTTP (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
    });
    afterAll(async () => {
      await example?.close();
    });

    it("an assertion for one pending sign-in's challenge is refused in another, and still works in its own", async () => {
      const device = authenticatorFor(example);
      await registerPasskey(example, 'bob', device);
      const victim = await pendingWithOptions(example, 'bob');
      const attacker = await pendingWithOptions(example, 'bob');
      const assertion = device.assert(victim.options);
      const stolen = await signIn(example, attacker.agent, assertion);
      expect(stolen.status).toBe(401);
      expect(stolen.body.error.code).toBe('INVALID_CODE');
      expect((await attacker.agent.get('/api/mfa/status')).status).toBe(401);
      const own = await signIn(example, victim.agent, assertion);
      expect(own.status, own.text).toBe(200);
      expect(own.body).toMatchObject({ status: 'signed-in', factor: 'webauthn' });
      // Replayed after its success, from a new pending sign-in: its challenge is spent.
      const later = await pendingWithOptions(example, 'bob');
      expect((await signIn(example, later.agent, assertion)).status).toBe(401);
    });

    it('one assertion submitted 20 times in parallel signs in exactly once', async () => {
      const device = authenticatorFor(example);
      await registerPasskey(example, 'frank', device);
      const { agent, options } = await pendingWithOptions(example, 'frank');
      const assertion = device.assert(options);
      const answers = await Promise.all(Array.from({ length: 20 }, () => signIn(example, agent, assertion)));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    });

    it("a cloned credential's counter going back is refused and logged as WEBAUTHN_COUNTER_REGRESSION", async () => {
      const device = authenticatorFor(example);
      await registerPasskey(example, 'alice', device);
      const first = await pendingWithOptions(example, 'alice');
      expect((await signIn(example, first.agent, device.assert(first.options))).status).toBe(200);
      const second = await pendingWithOptions(example, 'alice');
      expect((await signIn(example, second.agent, device.assert(second.options))).status).toBe(200);
      // The clone holds the key with the counter as it was when it was copied (1, now stored as 2).
      const credential = device.credentials[0];
      if (credential === undefined) throw new Error('no credential');
      credential.signCount = 0;
      const cloned = await pendingWithOptions(example, 'alice');
      const refused = await signIn(example, cloned.agent, device.assert(cloned.options));
      expect(refused.status).toBe(401);
      const alice = example.users.findByUsername('alice')?.id;
      const logged = (await events(example, 'WEBAUTHN_COUNTER_REGRESSION')).filter((e) => e.userId === alice);
      expect(logged.map((e) => e.details)).toEqual([
        expect.objectContaining({ storedCounter: 2, presentedCounter: 1 }),
      ]);
    });

    it('an assertion made for another origin or RP ID (https for http, a subdomain, another site) is refused', async () => {
      const device = authenticatorFor(example);
      await registerPasskey(example, 'owen', device);
      const credential = device.credentials[0];
      if (credential === undefined) throw new Error('no credential');
      const port = new URL(example.baseUrl).port;
      // The same key used by a phishing page: the browser writes that page's origin, or its RP ID hash.
      const phishingRp = new SoftAuthenticator('evil.localhost', `http://evil.localhost:${port}`);
      phishingRp.credentials.push(credential);
      const forged = [
        (options: { challenge: string }) => device.assert(options, { origin: `https://localhost:${port}` }),
        (options: { challenge: string }) =>
          device.assert(options, { origin: `http://evil.localhost:${port}` }),
        (options: { challenge: string }) => device.assert(options, { origin: 'https://example.com' }),
        (options: { challenge: string }) => phishingRp.assert(options),
      ];
      for (const forge of forged) {
        const { agent, options } = await pendingWithOptions(example, 'owen');
        const answer = await signIn(example, agent, forge(options));
        expect(answer.status, answer.text).toBe(401);
        expect(answer.body.error.code).toBe('INVALID_CODE');
        expect((await agent.get('/api/mfa/status')).status).toBe(401);
      }
      const { agent, options } = await pendingWithOptions(example, 'owen');
      expect((await signIn(example, agent, device.assert(options))).status).toBe(200);
    });

    it('a passkey that keeps no counter (0 every time, like most synced passkeys) signs in again and again', async () => {
      const device = authenticatorFor(example);
      device.counterStep = 0;
      await registerPasskey(example, 'dave', device);
      for (let i = 0; i < 3; i++) {
        const { agent, options } = await pendingWithOptions(example, 'dave');
        const answer = await signIn(example, agent, device.assert(options));
        expect(answer.status, answer.text).toBe(200);
      }
      const dave = example.users.findByUsername('dave')?.id;
      expect((await events(example, 'WEBAUTHN_COUNTER_REGRESSION')).filter((e) => e.userId === dave)).toEqual(
        [],
      );
      // Once it reports a counter, going back to 0 is a regression like any other.
      device.counterStep = 5;
      const counted = await pendingWithOptions(example, 'dave');
      expect((await signIn(example, counted.agent, device.assert(counted.options))).status).toBe(200);
      device.counterStep = 0;
      const credential = device.credentials[0];
      if (credential === undefined) throw new Error('no credential');
      credential.signCount = 0;
      const back = await pendingWithOptions(example, 'dave');
      expect((await signIn(example, back.agent, device.assert(back.options))).status).toBe(401);
      expect(
        (await events(example, 'WEBAUTHN_COUNTER_REGRESSION'))
          .filter((e) => e.userId === dave)
          .map((e) => e.details),
      ).toEqual([expect.objectContaining({ storedCounter: 5, presentedCounter: 0 })]);
    });

    it("removing a passkey ends the user's other sessions; the removing one stays", async () => {
      const device = authenticatorFor(example);
      const here = agentOf(example);
      expect((await login(example, here, 'carol')).body.status).toBe('signed-in');
      const options = await postFrom(example, here, '/api/mfa/webauthn/register/options');
      const registered = await postFrom(example, here, '/api/mfa/webauthn/register/verify', {
        response: device.register(options.body.options),
      });
      expect(registered.status, registered.text).toBe(200);
      // A second session signs in with the passkey (its fresh proof removes it).
      const elsewhere = await pendingWithOptions(example, 'carol');
      expect((await signIn(example, elsewhere.agent, device.assert(elsewhere.options))).status).toBe(200);
      expect((await elsewhere.agent.get('/api/mfa/status')).status).toBe(200);
      const id: string = registered.body.credential.id;
      const removed = await elsewhere.agent
        .delete(`/api/mfa/webauthn/credentials/${id}`)
        .set('Origin', example.baseUrl);
      expect(removed.status, removed.text).toBe(200);
      expect((await here.get('/api/mfa/status')).status).toBe(401);
      expect((await elsewhere.agent.get('/api/mfa/status')).status).toBe(200);
      expect(
        (await example.mfa.events.query({ types: ['WEBAUTHN_CREDENTIAL_REMOVED'] })).events,
      ).toHaveLength(1);
    });

    it('malformed input is 400 VALIDATION, never a 500 (more in webauthn-input-abuse.test.ts)', async () => {
      await registerPasskey(example, 'erin', authenticatorFor(example));
      const { agent } = await pendingWithOptions(example, 'erin');
      for (const body of [{}, { response: 'x' }, { response: [1] }, { response: null }]) {
        const answer = await postFrom(example, agent, '/api/mfa/sign-in/webauthn', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.error.code).toBe('VALIDATION');
      }
      for (const response of [{}, { id: '!!' }, { id: 'abc', response: { clientDataJSON: 'e30' } }]) {
        const answer = await signIn(example, agent, response);
        expect(answer.status, JSON.stringify(response)).toBe(400);
        expect(answer.body.error.code).toBe('VALIDATION');
      }
      const bad = await agent.delete('/api/mfa/webauthn/credentials/..%2F..').set('Origin', example.baseUrl);
      expect([400, 401]).toContain(bad.status);
    });
  });
}
