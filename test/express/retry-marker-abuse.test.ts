/**
 * Attack on the uncharged retry (issue 10, item 7; review of 4bedc6f): a
 * session whose earlier spend of a code timed out may present that code again
 * and be refused without a failure counted. Someone holding that session tries
 * to turn the uncharged path into something: free guesses (a neighbouring
 * step's code, other codes between the retries), a way around the per-address
 * budget (the README: an uncharged retry gives its slot back, records no
 * VERIFICATION_FAILED), a way around a cooldown, or a step-up. None works:
 * only the very code the session spent goes uncharged, every other guess is
 * charged, parallel retries don't dilute or reset the count, the cooldown
 * answers the spent code too, and a step-up with the spent code proves nothing.
 * And one code raced from many pending sign-ins of one user signs in once,
 * the others charged as replays (never taken for the winner's own retry:
 * fails if express named attempts by anything shared between sessions).
 *
 * The timed-out spend is made the way it lands on Redis: core's `verify` with
 * the session's attempt id (express: a hash of the session id), whose answer
 * the browser never saw. Over HTTP against the example app on Redis, single
 * node and Cluster, parallel requests where it matters.
 */
import { createHash } from 'node:crypto';
import { decodeBase32, generateTOTP, type MfaEvent } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, login, postFrom, signInEnrolling, useExampleOnRedis } from './example-on-redis.js';

const ALICE = { id: 'u1', orgId: 'acme', roles: ['admin'] };
const PERIOD = 30_000;
/** The example's per-address budget of second-factor failures (core's default). */
const ADDRESS_BUDGET = 30;

type Agent = ReturnType<typeof agentOf>;

/** The attempt id express derives from the agent's current session (`http/request-context.ts`). */
function attemptIdOf(agent: Agent, baseUrl: string): string {
  const jar = (
    agent as unknown as { jar: { getCookie(name: string, access: object): { value: string } | undefined } }
  ).jar;
  const access = { domain: new URL(baseUrl).hostname, path: '/', secure: false, script: false };
  const signed = decodeURIComponent(jar.getCookie('mfa-example.sid', access)?.value ?? '');
  if (!signed.startsWith('s:')) throw new Error('no session cookie');
  const sessionId = signed.slice(2, signed.lastIndexOf('.')); // "s:<id>.<signature>"
  return createHash('sha256').update(`mfa-kit attempt:${sessionId}`).digest('base64url');
}

/** The code of TOTP step `step`. */
function codeOf(secret: string, step: number): string {
  return generateTOTP(decodeBase32(secret), {
    timeInMs: step * PERIOD,
    periodInSeconds: 30,
    digits: 6,
    algorithm: 'SHA1',
  });
}

/** A code that is not the code of any step in `avoid` (a wrong guess). */
function otherCode(secret: string, avoid: number[]): string {
  const taken = new Set(avoid.map((s) => codeOf(secret, s)));
  for (let n = 0; ; n++) {
    const guess = String(100_000 + n * 7919).padStart(6, '0');
    if (!taken.has(guess)) return guess;
  }
}

describe.each([
  ['single node', false],
  ['Cluster', true],
])('the uncharged retry of a spent code (%s)', (_name, cluster) => {
  const on = useExampleOnRedis({ cluster });
  let ownerSecret: string | undefined;

  it('gives no free guesses, no way around the address budget or a cooldown', async () => {
    const { example } = on;
    const secret = await signInEnrolling(example, agentOf(example), 'alice');
    example.clock.advance(PERIOD);
    const events: MfaEvent[] = [];
    const unsubscribe = example.mfa.events.subscribe((event) => events.push(event));
    const count = (type: string) => events.filter((e) => e.type === type).length;
    const failures = async () => (await example.mfa.status(ALICE)).limiter.families.totp?.failures ?? 0;
    const post = (agent: Agent, code: string) => postFrom(example, agent, '/api/mfa/sign-in/totp', { code });

    const user = agentOf(example);
    const started = await login(example, user, 'alice');
    expect(started.body.status).toBe('challenge');
    const step = Math.floor(example.clock.now() / PERIOD);
    const spent = totpAt(secret, example.clock);
    // The session's submission whose answer was lost: it ran on Redis and spent the step.
    const attemptId = attemptIdOf(user, example.baseUrl);
    expect((await example.mfa.verify(ALICE, 'totp', spent, { ip: '127.0.0.1', attemptId })).ok).toBe(true);

    // More retries than the address has slots, one after another: each is refused uncharged.
    for (let i = 0; i < ADDRESS_BUDGET + 5; i++) {
      const retried = await post(user, spent);
      expect(retried.status, `retry ${i}`).toBe(401);
      expect(retried.body.error).toMatchObject({
        code: 'INVALID_CODE',
        message: expect.stringMatching(/already used/),
      });
    }
    expect(await failures()).toBe(0);
    expect(count('VERIFICATION_FAILED')).toBe(0);
    expect(count('IP_BLOCKED')).toBe(0);

    // The previous step's code (a neighbouring step, already behind the spent one) is a charged replay.
    const previous = codeOf(secret, step - 1);
    const neighbour = await post(user, previous);
    expect(neighbour.body.error.code).toBe('INVALID_CODE');
    expect(neighbour.body.error.message).not.toMatch(/already used/);
    expect(await failures()).toBe(1);

    // Four more wrong guesses hidden among parallel retries: all four are charged, the fifth failure
    // starts the cooldown, and no retry resets or dilutes the count.
    const wrong = otherCode(secret, [step - 1, step, step + 1, step + 2]);
    const burst = await Promise.all([
      ...Array.from({ length: 12 }, () => post(user, spent)),
      ...Array.from({ length: 4 }, () => post(user, wrong)),
    ]);
    for (const answer of burst) expect([401, 429]).toContain(answer.status);
    expect(count('VERIFICATION_FAILED')).toBe(5);
    expect(count('COOLDOWN_ACTIVATED')).toBe(1);

    // In the cooldown the spent code is a cooldown like any other, and so is the next valid code.
    const inCooldown = await post(user, spent);
    expect(inCooldown.status).toBe(429);
    expect(inCooldown.body.error.code).toBe('COOLDOWN');
    example.clock.advance(PERIOD);
    const next = await post(user, totpAt(secret, example.clock));
    expect(next.status).toBe(429);
    expect((await user.get('/api/mfa/status')).status).not.toBe(200);
    unsubscribe();
  });

  it('a step-up with a code the signed-in session already spent proves nothing', async () => {
    const { example } = on;
    const OWEN = { id: 'u7', orgId: 'acme', roles: ['owner'] };
    const user = agentOf(example);
    const secret = await signInEnrolling(example, user, 'owen'); // signed in
    ownerSecret = secret;
    // The proof ages past freshFactorMs: changing factors now needs a step-up.
    example.clock.advance(10 * PERIOD + 1);
    const regenerate = () => postFrom(example, user, '/api/mfa/recovery-codes', {});
    expect((await regenerate()).status).toBe(403);
    const code = totpAt(secret, example.clock);
    // The session's step-up whose answer was lost: it ran and spent the step.
    const attemptId = attemptIdOf(user, example.baseUrl);
    expect((await example.mfa.verify(OWEN, 'totp', code, { ip: '127.0.0.1', attemptId })).ok).toBe(true);

    const stepUps = await Promise.all(
      Array.from({ length: 8 }, () => postFrom(example, user, '/api/mfa/verify', { factor: 'totp', code })),
    );
    for (const answer of stepUps) {
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('INVALID_CODE');
    }
    // No fresh proof came of it, and nothing was charged.
    expect((await regenerate()).status).toBe(403);
    expect((await example.mfa.status(OWEN)).limiter.families.totp?.failures ?? 0).toBe(0);
    // The next code steps up.
    example.clock.advance(PERIOD);
    const next = totpAt(secret, example.clock);
    expect((await postFrom(example, user, '/api/mfa/verify', { factor: 'totp', code: next })).status).toBe(
      200,
    );
    expect((await regenerate()).status).toBe(200);
  });
  it('one code raced from many pending sign-ins of one user (attacker with the password and a phished code): one signs in, the rest are charged replays', async () => {
    const { example } = on;
    ownerSecret ??= await signInEnrolling(example, agentOf(example), 'owen');
    const agents = Array.from({ length: 8 }, () => agentOf(example));
    for (const agent of agents) expect((await login(example, agent, 'owen')).body.status).toBe('challenge');
    example.clock.advance(PERIOD);
    const code = totpAt(ownerSecret ?? '', example.clock);
    const answers = await Promise.all(
      agents.map((agent) => postFrom(example, agent, '/api/mfa/sign-in/totp', { code })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(['INVALID_CODE', 'COOLDOWN']).toContain(answer.body.error.code);
      // Not one of them is mistaken for the winner's own retry.
      expect(answer.body.error.message ?? '').not.toMatch(/already used/);
    }
  });
});
