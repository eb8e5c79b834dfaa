/**
 * Issue 9: `send-error.ts` forwarded `MfaError` messages verbatim, so a
 * browser learnt the server's key ids and configuration advice
 * (KEY_UNAVAILABLE: `Encryption key "k1" … add it to the key ring`). Replayed
 * over HTTP against the example app on Redis: a user enrolled under one
 * encryption key signs in on a deployment whose key `k1` is different.
 */
import { ErrorCode } from '@mfa-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKey } from '../../examples/example-app/src/app.js';
import { totpAt } from '../browser/example-server.js';
import {
  agentOf,
  type ExampleOnRedis,
  login,
  signInEnrolling,
  startExampleOnRedis,
} from './example-on-redis.js';

const running: ExampleOnRedis[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((example) => example.close()));
});

describe('error details stay on the server', () => {
  it('KEY_UNAVAILABLE reaches the browser as its code and stable message; key ids and advice go to the log', async () => {
    const first = await startExampleOnRedis({ encryptionKey: generateKey() });
    running.push(first);
    const secret = await signInEnrolling(first, agentOf(first), 'alice');

    // Same data, a different key under the same id: the sealed TOTP secret no longer opens.
    const log: string[] = [];
    const second = await startExampleOnRedis({
      prefix: first.prefix,
      encryptionKey: generateKey(),
      log: (line) => log.push(line),
    });
    running.push(second);
    const agent = agentOf(second);
    expect((await login(second, agent, 'alice')).body.status).toBe('challenge');
    second.clock.advance(60_000);
    const response = await agent
      .post('/api/mfa/sign-in/totp')
      .set('Origin', second.baseUrl)
      .send({ code: totpAt(secret, second.clock) });

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { code: 'KEY_UNAVAILABLE', message: ErrorCode.KEY_UNAVAILABLE },
    });
    expect(response.text).not.toMatch(/k1|key ring|wrong key|tampered/i);
    // The operator still gets the detail.
    expect(log.join('\n')).toMatch(/does not open with key "k1"/);
  });
});
