/**
 * Passkey step-up (`POST /mfa/verify/webauthn/options`, then `POST /mfa/verify`
 * `{ factor: 'webauthn', response }`) over HTTP against the example app on
 * real Redis (single node and the 3-master Cluster), with a software
 * authenticator and the real `@simplewebauthn/server` checks: it refreshes
 * the fresh proof and lets a user whose role requires phishing-resistant MFA
 * remove a passkey (a TOTP step-up is refused for them); an assertion made for another
 * session's step-up challenge or for a pending sign-in's challenge is refused;
 * a replay is refused; one challenge raced 10 times succeeds once; a credential
 * that is not the user's counts as a failure in the limiter.
 */
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import type { SoftAuthenticator } from '../webauthn/soft-authenticator.js';
import {
  agentOf,
  type ExampleOnRedis,
  login,
  postFrom,
  signInEnrolling,
  startExampleOnRedis,
} from './example-on-redis.js';
import { addPasskey, authenticatorFor } from './passkey-http.js';

/** A signed-in session of `username` (optional MFA: the password alone) with a passkey of `device`. */
async function signedInWithPasskey(example: ExampleOnRedis, username: string, device: SoftAuthenticator) {
  const agent = agentOf(example);
  expect((await login(example, agent, username)).body.status).toBe('signed-in');
  await addPasskey(example, agent, device);
  return agent;
}

async function stepUpOptions(example: ExampleOnRedis, agent: supertest.Agent) {
  const options = await postFrom(example, agent, '/api/mfa/verify/webauthn/options');
  expect(options.status, options.text).toBe(200);
  return options.body.options as { challenge: string };
}

const verifyPasskey = (example: ExampleOnRedis, agent: supertest.Agent, response: unknown) =>
  postFrom(example, agent, '/api/mfa/verify', { factor: 'webauthn', response });

const removePasskey = (example: ExampleOnRedis, agent: supertest.Agent, id: string) =>
  agent.delete(`/api/mfa/webauthn/credentials/${id}`).set('Origin', example.baseUrl);

/** The session cookie's value (the session id changes at a step-up). */
function sessionCookie(response: supertest.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return cookies.find((c) => !c.includes('mfa_trust'))?.split(';')[0];
}

for (const cluster of [false, true]) {
  describe(`passkey step-up over HTTP (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
    });
    afterAll(async () => {
      await example?.close();
    });

    it('a passkey step-up refreshes fresh proof and lets a phishing-resistant user remove a passkey; a TOTP step-up is refused for her', async () => {
      // alice (admin: MFA required) enrols TOTP, steps up with it, and adds two passkeys.
      const agent = agentOf(example);
      const secret = await signInEnrolling(example, agent, 'alice');
      example.clock.advance(30_000);
      const code = await postFrom(example, agent, '/api/mfa/verify', {
        factor: 'totp',
        code: totpAt(secret, example.clock),
      });
      expect(code.status, code.text).toBe(200);
      const laptop = authenticatorFor(example);
      const phone = authenticatorFor(example);
      await addPasskey(example, agent, laptop);
      const phoneId = await addPasskey(example, agent, phone);

      // Her session's last proof is a TOTP code again; admins must now use phishing-resistant MFA,
      // so that proof no longer changes passkeys.
      example.clock.advance(30_000);
      const last = await postFrom(example, agent, '/api/mfa/verify', {
        factor: 'totp',
        code: totpAt(secret, example.clock),
      });
      expect(last.status, last.text).toBe(200);
      const policy = await example.mfa.admin.getPolicy();
      await example.mfa.admin.setPolicy(
        { kind: 'system', id: 'test' },
        { ...policy, phishingResistantRoles: ['admin'] },
      );
      const weak = await removePasskey(example, agent, phoneId);
      expect(weak.status, weak.text).toBe(403);
      expect(weak.body.error).toMatchObject({
        code: 'MFA_REQUIRED',
        stepUp: true,
        stepUpFactors: ['webauthn'],
        requiredFactor: 'webauthn',
      });
      expect(weak.body.error.message).toMatch(/passkey/);

      // Past freshFactorMs, nothing is fresh: the refusal lists what she can step up with, her
      // passkey alone (as her pending sign-in would offer it alone).
      example.clock.advance(6 * 60_000);
      const stale = await removePasskey(example, agent, phoneId);
      expect(stale.status).toBe(403);
      expect(stale.body.error).toMatchObject({ stepUp: true, stepUpFactors: ['webauthn'] });

      // A TOTP step-up is refused before the code is verified: it gives no fresh proof and does
      // not turn her session into a TOTP one (which requireMfa() would then refuse).
      const totp = await postFrom(example, agent, '/api/mfa/verify', {
        factor: 'totp',
        code: totpAt(secret, example.clock),
      });
      expect(totp.status, totp.text).toBe(403);
      expect(totp.body.error).toMatchObject({ code: 'MFA_REQUIRED', requiredFactor: 'webauthn' });
      const stillStale = await removePasskey(example, agent, phoneId);
      expect(stillStale.status).toBe(403);
      expect(stillStale.body.error).toMatchObject({ stepUpFactors: ['webauthn'] });

      // A passkey step-up: fresh proof of a passkey, a new session id; the removal goes through.
      const before = sessionCookie(last);
      const stepped = await verifyPasskey(example, agent, laptop.assert(await stepUpOptions(example, agent)));
      expect(stepped.status, stepped.text).toBe(200);
      expect(stepped.body).toMatchObject({ verified: true, factor: 'webauthn' });
      expect(sessionCookie(stepped)).toBeDefined();
      expect(sessionCookie(stepped)).not.toBe(before);
      const removed = await removePasskey(example, agent, phoneId);
      expect(removed.status, removed.text).toBe(200);
      expect(removed.body.credentials).toHaveLength(1);

      // Another TOTP step-up is refused too and leaves the passkey proof in place: she may still
      // register a passkey, and requireMfa() still lets the session through.
      example.clock.advance(30_000);
      const again = await postFrom(example, agent, '/api/mfa/verify', {
        factor: 'totp',
        code: totpAt(secret, example.clock),
      });
      expect(again.status, again.text).toBe(403);
      expect(again.body.error.requiredFactor).toBe('webauthn');
      const register = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
      expect(register.status, register.text).toBe(200);
      const admin = await agent.get('/admin/users');
      expect(admin.status, admin.text).toBe(200);
      await example.mfa.admin.setPolicy({ kind: 'system', id: 'test' }, policy);
    });

    it("an assertion for another session's step-up challenge, or for a pending sign-in's, is refused; a replay too", async () => {
      const device = authenticatorFor(example);
      const here = await signedInWithPasskey(example, 'bob', device);
      const elsewhere = agentOf(example);
      expect((await login(example, elsewhere, 'bob')).body.status).toBe('challenge');
      const signInOptions = await postFrom(example, elsewhere, '/api/mfa/sign-in/webauthn/options');
      expect(signInOptions.status).toBe(200);
      expect(
        (
          await postFrom(example, elsewhere, '/api/mfa/sign-in/webauthn', {
            response: device.assert(signInOptions.body.options),
          })
        ).status,
      ).toBe(200);

      // Another signed-in session's step-up challenge: refused there, still good in its own session.
      const mine = device.assert(await stepUpOptions(example, here));
      const stolen = await verifyPasskey(example, elsewhere, mine);
      expect(stolen.status).toBe(401);
      expect(stolen.body.error.code).toBe('INVALID_CODE');

      // A pending sign-in's challenge (another browser at the passkey prompt) is no step-up proof.
      const pending = agentOf(example);
      expect((await login(example, pending, 'bob')).body.status).toBe('challenge');
      const pendingOptions = await postFrom(example, pending, '/api/mfa/sign-in/webauthn/options');
      const forSignIn = device.assert(pendingOptions.body.options);
      expect((await verifyPasskey(example, here, forSignIn)).status).toBe(401);
      // …and a step-up challenge signs no one in.
      const forStepUp = device.assert(await stepUpOptions(example, elsewhere));
      expect(
        (await postFrom(example, pending, '/api/mfa/sign-in/webauthn', { response: forStepUp })).status,
      ).toBe(401);

      const own = await verifyPasskey(example, here, mine);
      expect(own.status, own.text).toBe(200);
      // Replayed after its success (the session has a new id and a live challenge of its own): spent.
      await stepUpOptions(example, here);
      const replay = await verifyPasskey(example, here, mine);
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe('INVALID_CODE');
      const bob = example.users.findByUsername('bob')?.id;
      const failures = (await example.mfa.events.query({ types: ['VERIFICATION_FAILED'] })).events.filter(
        (e) => e.userId === bob,
      );
      expect(failures.map((e) => e.details)).toEqual(
        Array.from({ length: 4 }, () => expect.objectContaining({ factor: 'webauthn', reason: 'missing' })),
      );
    });

    it('one step-up challenge submitted 10 times in parallel succeeds exactly once', async () => {
      const device = authenticatorFor(example);
      const agent = await signedInWithPasskey(example, 'frank', device);
      const assertion = device.assert(await stepUpOptions(example, agent));
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => verifyPasskey(example, agent, assertion)),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      const frank = example.users.findByUsername('frank')?.id;
      const succeeded = (await example.mfa.events.query({ types: ['VERIFICATION_SUCCEEDED'] })).events.filter(
        (e) => e.userId === frank,
      );
      expect(succeeded).toHaveLength(1);
    });

    it("another user's passkey is a failure in the limiter: five of them and the user's own is refused (cooldown)", async () => {
      const stranger = authenticatorFor(example);
      await signedInWithPasskey(example, 'carol', stranger);
      const device = authenticatorFor(example);
      const agent = await signedInWithPasskey(example, 'erin', device);
      const answers: number[] = [];
      for (let i = 0; i < 5; i++)
        answers.push(
          (await verifyPasskey(example, agent, stranger.assert(await stepUpOptions(example, agent)))).status,
        );
      expect(answers.slice(0, 4)).toEqual([401, 401, 401, 401]);
      const own = await verifyPasskey(example, agent, device.assert(await stepUpOptions(example, agent)));
      expect(own.status, own.text).toBe(429);
      expect(own.body.error.code).toBe('COOLDOWN');
      const erin = example.users.findByUsername('erin')?.id;
      const events = (
        await example.mfa.events.query({ types: ['VERIFICATION_FAILED', 'COOLDOWN_ACTIVATED'] })
      ).events.filter((e) => e.userId === erin);
      expect(events.filter((e) => e.type === 'VERIFICATION_FAILED')).toHaveLength(5);
      expect(events.filter((e) => e.type === 'COOLDOWN_ACTIVATED')).toHaveLength(1);
    });

    it('a passkey assertion is the proof for new recovery codes and for turning MFA off', async () => {
      // owen as a plain user (no role requires MFA of him, so he may turn it off).
      const owen = example.users.findByUsername('owen');
      if (owen === null || !example.users.setRoles(owen.id, ['user'])) throw new Error('no owen');
      // He sets up an authenticator app (recovery codes need a code factor) and a passkey.
      const agent = agentOf(example);
      expect((await login(example, agent, 'owen')).body.status).toBe('signed-in');
      const secret: string = (await postFrom(example, agent, '/api/mfa/totp/enrol')).body.secret;
      const confirm = { code: totpAt(secret, example.clock) };
      expect((await postFrom(example, agent, '/api/mfa/totp/confirm', confirm)).status).toBe(200);
      example.clock.advance(30_000);
      const proof = { factor: 'totp', code: totpAt(secret, example.clock) };
      expect((await postFrom(example, agent, '/api/mfa/verify', proof)).status).toBe(200);
      const device = authenticatorFor(example);
      await addPasskey(example, agent, device);
      example.clock.advance(6 * 60_000);
      expect((await postFrom(example, agent, '/api/mfa/recovery-codes')).status).toBe(403);
      // No role asks him for a passkey: a factor he lacks is just not enrolled, never "use your passkey".
      const noSms = await postFrom(example, agent, '/api/mfa/verify', { factor: 'sms', code: '123456' });
      expect(noSms.body.error, noSms.text).toMatchObject({ code: 'NOT_ENROLLED' });
      expect(noSms.body.error.requiredFactor).toBeUndefined();
      const codes = await postFrom(example, agent, '/api/mfa/recovery-codes', {
        factor: 'webauthn',
        response: device.assert(await stepUpOptions(example, agent)),
      });
      expect(codes.status, codes.text).toBe(200);
      expect(codes.body.recoveryCodes).toHaveLength(10);
      const disabled = await postFrom(example, agent, '/api/mfa/disable', {
        factor: 'webauthn',
        response: device.assert(await stepUpOptions(example, agent)),
      });
      expect(disabled.status, disabled.text).toBe(200);
      expect(disabled.body).toMatchObject({ disabled: true, signedOut: true });
      expect(
        (await example.mfa.status({ id: owen.id, roles: owen.roles, orgId: owen.orgId })).webauthn,
      ).toEqual([]);
      const events = (await example.mfa.events.query({ types: ['DISABLED'] })).events;
      expect(events.filter((e) => e.userId === owen.id).map((e) => e.details)).toEqual([
        { factors: ['totp', 'webauthn', 'recovery'] },
      ]);
    });
  });
}
