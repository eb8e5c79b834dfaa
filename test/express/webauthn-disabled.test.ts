/**
 * Passkeys switched off (no `webauthn` in `createMfa`, as the example does on
 * an IP-address origin), attacked over HTTP against the example app on real
 * Redis: every passkey ceremony a signed-in, enrolling or pending session can
 * call answers `404 NOT_FOUND`. Registration options used to be a 500
 * (core's CONFIGURATION error) for any signed-in user, and so was a pending
 * sign-in of a user who registered a passkey before the operator turned them
 * off.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SoftAuthenticator } from '../webauthn/soft-authenticator.js';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';

describe('passkeys switched off (single Redis)', () => {
  const running: ExampleOnRedis[] = [];
  afterAll(async () => {
    for (const example of running) await example.close();
  });

  it('every passkey ceremony is 404 NOT_FOUND, never a 500, including for a user who has a passkey', async () => {
    // Erin registers a passkey while they are on; then the operator turns them off (same data).
    const on = await startExampleOnRedis();
    running.push(on);
    const device = new SoftAuthenticator('localhost', on.baseUrl.replace('127.0.0.1', 'localhost'));
    const before = agentOf(on);
    expect((await login(on, before, 'erin')).body.status).toBe('signed-in');
    const options = await postFrom(on, before, '/api/mfa/webauthn/register/options');
    const registered = await postFrom(on, before, '/api/mfa/webauthn/register/verify', {
      response: device.register(options.body.options),
    });
    expect(registered.status, registered.text).toBe(200);
    const off = await startExampleOnRedis({ prefix: on.prefix, webauthn: false });
    running.push(off);

    const answers: { path: string; status: number; code: string }[] = [];
    const call = async (agent: ReturnType<typeof agentOf>, path: string, body: object = {}) => {
      const answer = await postFrom(off, agent, path, body);
      answers.push({ path, status: answer.status, code: answer.body?.error?.code });
    };
    const assertion = device.assert({ challenge: 'AAAA' });
    const attestation = device.register({ challenge: 'AAAA' });
    const signedIn = agentOf(off);
    expect((await login(off, signedIn, 'bob')).body.status).toBe('signed-in');
    await call(signedIn, '/api/mfa/webauthn/register/options');
    await call(signedIn, '/api/mfa/webauthn/register/verify', { response: attestation });
    const enrolling = agentOf(off);
    expect((await login(off, enrolling, 'alice')).body.status).toBe('enrol');
    await call(enrolling, '/api/mfa/webauthn/register/options');
    await call(enrolling, '/api/mfa/webauthn/register/verify', { response: attestation });
    const pending = agentOf(off);
    expect((await login(off, pending, 'erin')).body.status).toBe('challenge');
    await call(pending, '/api/mfa/sign-in/webauthn/options');
    await call(pending, '/api/mfa/sign-in/webauthn', { response: assertion });
    expect(answers).toEqual(answers.map(({ path }) => ({ path, status: 404, code: 'NOT_FOUND' })));
    expect(answers).toHaveLength(6);
  });
});
