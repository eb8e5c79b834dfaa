/**
 * Attack on the timed-out-spend retry (issue 10, item 7): the retry marker
 * recognises "the same attempt presenting what it already spent". Express
 * names the attempt by the session id, so N parallel submissions of one code
 * from one pending sign-in are N "retries" of one spend. A code must still
 * sign in once: exactly one of them completes the sign-in, the others are
 * refused, and (being that attempt's own spend) not charged. When the marker
 * answered a retry as a success, 11 of 12 signed in on Cluster.
 *
 * Over HTTP against the example app on real Redis, single node and Cluster.
 */
import { describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, login, postFrom, signInEnrolling, useExampleOnRedis } from './example-on-redis.js';

const PARALLEL = 12;

describe.each([
  ['single node', false],
  ['Cluster', true],
])('one code, many parallel submissions from one pending sign-in (%s)', (_name, cluster) => {
  const on = useExampleOnRedis({ cluster });

  it('signs in once', async () => {
    const { example } = on;
    const secret = await signInEnrolling(example, agentOf(example), 'alice');
    example.clock.advance(30_000);
    const user = agentOf(example);
    expect((await login(example, user, 'alice')).body.status).toBe('challenge');
    const code = totpAt(secret, example.clock);
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => postFrom(example, user, '/api/mfa/sign-in/totp', { code })),
    );
    const signedIn = answers.filter((answer) => answer.status === 200);
    expect(answers.map((answer) => answer.status).sort()).not.toContain(500);
    expect(signedIn).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status !== 200);
    // Refused as the spent code, or (arriving after the winner rotated the session) as no pending sign-in.
    for (const answer of refused)
      expect(['INVALID_CODE', 'UNAUTHENTICATED']).toContain(answer.body.error.code);
    // The pending sign-in's own code: refused, but no failure counted against the user.
    const status = await example.mfa.status({ id: 'u1', orgId: 'acme', roles: ['admin'] });
    expect(status.limiter.families.totp?.failures ?? 0).toBe(0);
  });
});
