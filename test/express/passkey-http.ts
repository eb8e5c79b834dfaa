import type supertest from 'supertest';
import { expect } from 'vitest';
import { SoftAuthenticator } from '../webauthn/soft-authenticator.js';
import { agentOf, type ExampleOnRedis, login, postFrom } from './example-on-redis.js';

/** A software authenticator for the example: WebAuthn needs a domain, so it also allows http://localhost:<port>. */
export function authenticatorFor(example: ExampleOnRedis): SoftAuthenticator {
  return new SoftAuthenticator('localhost', example.baseUrl.replace('127.0.0.1', 'localhost'));
}

/** Registers a passkey of `device` from a session that holds fresh proof; returns its id. */
export async function addPasskey(
  example: ExampleOnRedis,
  agent: supertest.Agent,
  device: SoftAuthenticator,
): Promise<string> {
  const options = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
  expect(options.status, options.text).toBe(200);
  const verify = await postFrom(example, agent, '/api/mfa/webauthn/register/verify', {
    response: device.register(options.body.options),
  });
  expect(verify.status, verify.text).toBe(200);
  return verify.body.credential.id as string;
}

/** A pending sign-in of `username` (password step done) with the options of its passkey challenge. */
export async function pendingWithOptions(example: ExampleOnRedis, username: string) {
  const agent = agentOf(example);
  expect((await login(example, agent, username)).body.status).toBe('challenge');
  const options = await postFrom(example, agent, '/api/mfa/sign-in/webauthn/options');
  expect(options.status, options.text).toBe(200);
  return { agent, options: options.body.options as { challenge: string; allowCredentials: unknown[] } };
}
