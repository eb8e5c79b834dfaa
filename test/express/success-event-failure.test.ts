/**
 * The success event of a second factor goes out beside the new session's
 * save (one round trip fewer, `session/success-event.ts`), no longer before
 * it. The guarantee that must survive the reordering: no sign-in completes
 * without its event. Here the event stream can't take the event (the key
 * holds a string, so `XADD` fails) while the code itself is accepted and the
 * session is saved: the sign-in must fail (503 STORE_UNAVAILABLE), the
 * browser must get no session, and no signed-in session may be left in the
 * store. The code stays spent (its decision was made); the user signs in
 * again with the next one, and that success is recorded.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, enrolTotp, login, post, sessionKeys, totp } from './test-app.js';

let t: TestApp;

beforeAll(() => {
  t = createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Session keys of the store whose session is signed in as `userId` after a second factor. */
async function signedInSessions(keys: string[], userId: string): Promise<string[]> {
  const signedIn: string[] = [];
  for (const key of keys) {
    const text = await t.redis.get(key);
    const data = text === null ? null : (JSON.parse(text) as { mfa?: { userId?: string; via?: string } });
    if (data?.mfa?.userId === userId && data.mfa.via === 'mfa') signedIn.push(key);
  }
  return signedIn;
}

describe('the success event is appended beside the session save', () => {
  it('if the event is not recorded, the sign-in fails: 503, no cookie, no signed-in session in the store; the code stays spent', async () => {
    const { secret } = await enrolTotp(t, request.agent(t.app), 'alice');
    const before = new Set(await sessionKeys(t));
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'alice')).body.status).toBe('challenge');

    // The events stream can't take the event: the key holds a string (XADD → WRONGTYPE).
    const events = `${t.mfaPrefix}events`;
    const kept = `${t.mfaPrefix}events-kept`;
    await t.redis.rename(events, kept);
    await t.redis.set(events, 'not a stream');
    const code = totp(secret, t.clock.now());
    const refused = await post(agent, '/mfa/sign-in/totp', { code });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('STORE_UNAVAILABLE');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await agent.get('/private')).status).toBe(401);
    const created = (await sessionKeys(t)).filter((key) => !before.has(key));
    expect(await signedInSessions(created, 'alice')).toEqual([]);
    expect(t.events.filter((event) => event.type === 'VERIFICATION_SUCCEEDED')).toEqual([]);

    // The stream is back: the same code is spent (its decision was made), the next one signs in.
    await t.redis.del(events);
    await t.redis.rename(kept, events);
    const again = request.agent(t.app);
    expect((await login(t, again, 'alice')).body.status).toBe('challenge');
    expect((await post(again, '/mfa/sign-in/totp', { code })).status).toBe(401);
    t.clock.advance(30_000);
    expect((await post(again, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) })).status).toBe(200);
    expect((await again.get('/private')).status).toBe(200);
    const [recorded] = (await t.mfa.events.query({ types: ['VERIFICATION_SUCCEEDED'] })).events;
    expect(recorded).toMatchObject({ userId: 'alice', details: { factor: 'totp' } });
  });
});
